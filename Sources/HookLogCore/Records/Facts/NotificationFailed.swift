/// Sending the disable e-mail failed; it is tried again at `nextAttemptAt`.
public struct NotificationFailed: FactPayload {
    public var webhookID: WebhookID
    public var recipient: String
    public var attempt: Int
    public var error: String
    public var nextAttemptAt: Timestamp

    public init(webhookID: WebhookID, recipient: String, attempt: Int, error: String, nextAttemptAt: Timestamp) {
        self.webhookID = webhookID
        self.recipient = recipient
        self.attempt = attempt
        self.error = error
        self.nextAttemptAt = nextAttemptAt
    }

    public static var tag: FactTag { .notificationFailed }
    public static var name: String { "NotificationFailed" }
    public var fact: Fact { .notificationFailed(self) }

    public var fields: [(String, JSONValue)] {
        [("webhook_id", .id(webhookID)), ("recipient", .string(recipient)), ("attempt", .int(Int64(attempt))),
         ("error", .string(error)), ("next_attempt_at", .string(nextAttemptAt.rfc3339))]
    }

    public func indexKeys(in state: HookLogState) -> IndexKeys {
        .webhook(webhookID, in: state)
    }

    public func encode(to writer: inout BinaryWriter) {
        writer.write(webhookID)
        writer.write(recipient)
        writer.write(attempt)
        writer.write(error)
        writer.write(nextAttemptAt)
    }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        self.init(
            webhookID: try reader.read(), recipient: try reader.readString(), attempt: try reader.readInt(),
            error: try reader.readString(), nextAttemptAt: try reader.read())
    }
}
