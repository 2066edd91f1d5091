/// A workspace registered an endpoint for some event types.
public struct WebhookCreated: FactPayload {
    public var webhookID: WebhookID
    public var workspaceID: WorkspaceID
    public var url: String
    public var events: [EventType]
    public var secret: String
    /// The shape of its requests: ``WebhookFormat/standard`` in records of format 3 and older, written before there
    /// was another.
    public var format: WebhookFormat
    /// The most deliveries a second it receives (nil: no limit, as in records of format 3 and older).
    public var rateLimit: Int?

    public init(
        webhookID: WebhookID, workspaceID: WorkspaceID, url: String, events: [EventType], secret: String,
        format: WebhookFormat = .standard, rateLimit: Int? = nil
    ) {
        self.webhookID = webhookID
        self.workspaceID = workspaceID
        self.url = url
        self.events = events
        self.secret = secret
        self.format = format
        self.rateLimit = rateLimit
    }

    public static var tag: FactTag { .webhookCreated }
    public static var name: String { "WebhookCreated" }
    public var fact: Fact { .webhookCreated(self) }

    public var fields: [(String, JSONValue)] {
        [("webhook_id", .id(webhookID)), ("workspace_id", .id(workspaceID)), ("url", .string(url)),
         ("events", .events(events)), ("format", .string(format.rawValue)), ("rate_limit", .integer(rateLimit))]
    }

    public func indexKeys(in state: HookLogState) -> IndexKeys {
        .webhook(webhookID, of: workspaceID)
    }

    public func encode(to writer: inout BinaryWriter) {
        writer.write(webhookID)
        writer.write(workspaceID)
        writer.write(url)
        writer.write(events) { $0.write($1) }
        writer.write(secret)
        writer.write(format)
        writer.write(rateLimit) { $0.write($1) }
    }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        self.init(
            webhookID: try reader.read(), workspaceID: try reader.read(), url: try reader.readString(),
            events: try reader.readArray { reader throws(DecodingFailure) in try reader.read() },
            secret: try reader.readString(),
            format: reader.recordFormat < 4 ? .standard : try reader.read(),
            rateLimit: reader.recordFormat < 4 ? nil : try reader.readOptional { reader throws(DecodingFailure) in try reader.readInt() })
    }
}
