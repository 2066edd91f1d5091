/// The mail server accepted the e-mail telling a workspace owner that a webhook was disabled.
public struct NotificationSent: FactPayload {
    public var webhookID: WebhookID
    public var recipient: String
    /// 1 for the first try.
    public var attempt: Int

    public init(webhookID: WebhookID, recipient: String, attempt: Int) {
        self.webhookID = webhookID
        self.recipient = recipient
        self.attempt = attempt
    }

    public static var tag: FactTag { .notificationSent }
    public static var name: String { "NotificationSent" }
    public var fact: Fact { .notificationSent(self) }

    public var fields: [(String, JSONValue)] {
        [("webhook_id", .id(webhookID)), ("recipient", .string(recipient)), ("attempt", .int(Int64(attempt)))]
    }

    public func indexKeys(in state: HookLogState) -> IndexKeys {
        .webhook(webhookID, in: state)
    }

    public func encode(to writer: inout BinaryWriter) {
        writer.write(webhookID)
        writer.write(recipient)
        writer.write(attempt)
    }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        self.init(webhookID: try reader.read(), recipient: try reader.readString(), attempt: try reader.readInt())
    }
}
