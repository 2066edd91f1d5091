/// A webhook's URL or event types changed; the fields carry their values after the change.
public struct WebhookUpdated: FactPayload {
    public var webhookID: WebhookID
    public var url: String
    public var events: [EventType]

    public init(webhookID: WebhookID, url: String, events: [EventType]) {
        self.webhookID = webhookID
        self.url = url
        self.events = events
    }

    public static var tag: FactTag { .webhookUpdated }
    public static var name: String { "WebhookUpdated" }
    public var fact: Fact { .webhookUpdated(self) }

    public var fields: [(String, JSONValue)] {
        [("webhook_id", .id(webhookID)), ("url", .string(url)), ("events", .events(events))]
    }

    public func indexKeys(in state: HookLogState) -> IndexKeys {
        .webhook(webhookID, in: state)
    }

    public func encode(to writer: inout BinaryWriter) {
        writer.write(webhookID)
        writer.write(url)
        writer.write(events) { $0.write($1) }
    }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        self.init(
            webhookID: try reader.read(), url: try reader.readString(),
            events: try reader.readArray { reader throws(DecodingFailure) in try reader.read() })
    }
}
