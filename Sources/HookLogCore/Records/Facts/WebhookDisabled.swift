/// A webhook was disabled because its workspace's error budget was exceeded.
public struct WebhookDisabled: FactPayload {
    public var webhookID: WebhookID
    public var workspaceID: WorkspaceID
    /// Why, for a person: the count and the window that were exceeded.
    public var reason: String
    /// The workspace's failed attempts in the window, the one that crossed the limit included.
    public var errorCount: Int

    public init(webhookID: WebhookID, workspaceID: WorkspaceID, reason: String, errorCount: Int) {
        self.webhookID = webhookID
        self.workspaceID = workspaceID
        self.reason = reason
        self.errorCount = errorCount
    }

    public static var tag: FactTag { .webhookDisabled }
    public static var name: String { "WebhookDisabled" }
    public var fact: Fact { .webhookDisabled(self) }

    public var fields: [(String, JSONValue)] {
        [("webhook_id", .id(webhookID)), ("workspace_id", .id(workspaceID)), ("reason", .string(reason)),
         ("error_count", .int(Int64(errorCount)))]
    }

    public func indexKeys(in state: HookLogState) -> IndexKeys {
        .webhook(webhookID, of: workspaceID)
    }

    public func encode(to writer: inout BinaryWriter) {
        writer.write(webhookID)
        writer.write(workspaceID)
        writer.write(reason)
        writer.write(errorCount)
    }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        self.init(
            webhookID: try reader.read(), workspaceID: try reader.read(), reason: try reader.readString(),
            errorCount: try reader.readInt())
    }
}
