/// A workspace registered an endpoint for some event types.
public struct WebhookCreated: FactPayload {
    public var webhookID: WebhookID
    public var workspaceID: WorkspaceID
    public var url: String
    public var events: [EventType]
    public var secret: String

    public init(webhookID: WebhookID, workspaceID: WorkspaceID, url: String, events: [EventType], secret: String) {
        self.webhookID = webhookID
        self.workspaceID = workspaceID
        self.url = url
        self.events = events
        self.secret = secret
    }

    public static var tag: FactTag { .webhookCreated }
    public static var name: String { "WebhookCreated" }
    public var fact: Fact { .webhookCreated(self) }

    public var fields: [(String, JSONValue)] {
        [("webhook_id", .id(webhookID)), ("workspace_id", .id(workspaceID)), ("url", .string(url)),
         ("events", .events(events))]
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
    }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        self.init(
            webhookID: try reader.read(), workspaceID: try reader.read(), url: try reader.readString(),
            events: try reader.readArray { reader throws(DecodingFailure) in try reader.read() },
            secret: try reader.readString())
    }
}
