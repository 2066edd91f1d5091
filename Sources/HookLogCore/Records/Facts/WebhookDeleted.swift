/// A webhook was deleted: its queue is discarded, its history stays in the log.
public struct WebhookDeleted: FactPayload {
    public var webhookID: WebhookID

    public init(webhookID: WebhookID) {
        self.webhookID = webhookID
    }

    public static var tag: FactTag { .webhookDeleted }
    public static var name: String { "WebhookDeleted" }
    public var fact: Fact { .webhookDeleted(self) }

    public var fields: [(String, JSONValue)] {
        [("webhook_id", .id(webhookID))]
    }

    public func indexKeys(in state: HookLogState) -> IndexKeys {
        .webhook(webhookID, in: state)
    }

    public func encode(to writer: inout BinaryWriter) { writer.write(webhookID) }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) { self.init(webhookID: try reader.read()) }
}
