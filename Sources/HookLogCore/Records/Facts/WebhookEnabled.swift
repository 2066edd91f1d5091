/// The owner re-enabled a disabled webhook; the workspace's error window starts afresh.
public struct WebhookEnabled: FactPayload {
    public var webhookID: WebhookID
    public var workspaceID: WorkspaceID
    /// Whether the deliveries skipped while it was disabled are queued again (a `DeliveriesRecovered` follows).
    public var recover: Bool

    public init(webhookID: WebhookID, workspaceID: WorkspaceID, recover: Bool) {
        self.webhookID = webhookID
        self.workspaceID = workspaceID
        self.recover = recover
    }

    public static var tag: FactTag { .webhookEnabled }
    public static var name: String { "WebhookEnabled" }
    public var fact: Fact { .webhookEnabled(self) }

    public var fields: [(String, JSONValue)] {
        [("webhook_id", .id(webhookID)), ("workspace_id", .id(workspaceID)), ("recover", .bool(recover))]
    }

    public func indexKeys(in state: HookLogState) -> IndexKeys {
        .webhook(webhookID, of: workspaceID)
    }

    public func encode(to writer: inout BinaryWriter) {
        writer.write(webhookID)
        writer.write(workspaceID)
        writer.write(recover)
    }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        self.init(webhookID: try reader.read(), workspaceID: try reader.read(), recover: try reader.readBool())
    }
}
