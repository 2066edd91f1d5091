/// A webhook's URL, event types, format or rate limit changed; the fields carry their values after the change.
///
/// Records of format 3 and older have no format or rate limit: no webhook had another than ``WebhookFormat/standard``
/// and none, which is what they decode to.
public struct WebhookUpdated: FactPayload {
    public var webhookID: WebhookID
    public var url: String
    public var events: [EventType]
    public var format: WebhookFormat
    /// The most deliveries a second the webhook receives from now on (nil: no limit).
    public var rateLimit: Int?

    public init(
        webhookID: WebhookID, url: String, events: [EventType], format: WebhookFormat = .standard, rateLimit: Int? = nil
    ) {
        self.webhookID = webhookID
        self.url = url
        self.events = events
        self.format = format
        self.rateLimit = rateLimit
    }

    public static var tag: FactTag { .webhookUpdated }
    public static var name: String { "WebhookUpdated" }
    public var fact: Fact { .webhookUpdated(self) }

    public var fields: [(String, JSONValue)] {
        [("webhook_id", .id(webhookID)), ("url", .string(url)), ("events", .events(events)),
         ("format", .string(format.rawValue)), ("rate_limit", .integer(rateLimit))]
    }

    public func indexKeys(in state: HookLogState) -> IndexKeys {
        .webhook(webhookID, in: state)
    }

    public func encode(to writer: inout BinaryWriter) {
        writer.write(webhookID)
        writer.write(url)
        writer.write(events) { $0.write($1) }
        writer.write(format)
        writer.write(rateLimit) { $0.write($1) }
    }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        self.init(
            webhookID: try reader.read(), url: try reader.readString(),
            events: try reader.readArray { reader throws(DecodingFailure) in try reader.read() },
            format: reader.recordFormat < 4 ? .standard : try reader.read(),
            rateLimit: reader.recordFormat < 4 ? nil : try reader.readOptional { reader throws(DecodingFailure) in try reader.readInt() })
    }
}
