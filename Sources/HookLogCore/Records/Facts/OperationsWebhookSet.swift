/// A workspace's operations webhook (docs/rules.md §2.8) was set to `url`: the first one with a new `secret`, a later
/// one keeping the secret it had. HookLog POSTs the workspace's own events to it.
public struct OperationsWebhookSet: FactPayload {
    public var workspaceID: WorkspaceID
    public var url: String
    /// The secret (`whsec_…`) its messages are signed with.
    public var secret: String

    public init(workspaceID: WorkspaceID, url: String, secret: String) {
        self.workspaceID = workspaceID
        self.url = url
        self.secret = secret
    }

    public static var tag: FactTag { .operationsWebhookSet }
    public static var name: String { "OperationsWebhookSet" }
    public var fact: Fact { .operationsWebhookSet(self) }

    /// The JSON view leaves the secret out, as ``WebhookCreated``'s does.
    public var fields: [(String, JSONValue)] {
        [("workspace_id", .id(workspaceID)), ("url", .string(url))]
    }

    public func indexKeys(in state: HookLogState) -> IndexKeys {
        .workspace(workspaceID)
    }

    public func encode(to writer: inout BinaryWriter) {
        writer.write(workspaceID)
        writer.write(url)
        writer.write(secret)
    }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        self.init(workspaceID: try reader.read(), url: try reader.readString(), secret: try reader.readString())
    }
}
