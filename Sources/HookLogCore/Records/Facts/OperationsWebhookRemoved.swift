/// A workspace's operations webhook was removed (docs/rules.md §2.8); the `discardedMessages` still waiting in its
/// queue are never sent.
public struct OperationsWebhookRemoved: FactPayload {
    public var workspaceID: WorkspaceID
    public var discardedMessages: Int

    public init(workspaceID: WorkspaceID, discardedMessages: Int) {
        self.workspaceID = workspaceID
        self.discardedMessages = discardedMessages
    }

    public static var tag: FactTag { .operationsWebhookRemoved }
    public static var name: String { "OperationsWebhookRemoved" }
    public var fact: Fact { .operationsWebhookRemoved(self) }

    public var fields: [(String, JSONValue)] {
        [("workspace_id", .id(workspaceID)), ("discarded_messages", .int(Int64(discardedMessages)))]
    }

    public func indexKeys(in state: HookLogState) -> IndexKeys {
        .workspace(workspaceID)
    }

    public func encode(to writer: inout BinaryWriter) {
        writer.write(workspaceID)
        writer.write(discardedMessages)
    }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        self.init(workspaceID: try reader.read(), discardedMessages: try reader.readInt())
    }
}
