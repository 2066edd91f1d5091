/// The mail server accepted the e-mail warning a workspace's owner that its error window reached the warning
/// threshold (``WarningThresholdReached``).
public struct WarningNotificationSent: FactPayload {
    public var workspaceID: WorkspaceID
    public var recipient: String
    /// 1 for the first try.
    public var attempt: Int

    public init(workspaceID: WorkspaceID, recipient: String, attempt: Int) {
        self.workspaceID = workspaceID
        self.recipient = recipient
        self.attempt = attempt
    }

    public static var tag: FactTag { .warningNotificationSent }
    public static var name: String { "WarningNotificationSent" }
    public var fact: Fact { .warningNotificationSent(self) }

    public var fields: [(String, JSONValue)] {
        [("workspace_id", .id(workspaceID)), ("recipient", .string(recipient)), ("attempt", .int(Int64(attempt)))]
    }

    public func indexKeys(in state: HookLogState) -> IndexKeys {
        .workspace(workspaceID)
    }

    public func encode(to writer: inout BinaryWriter) {
        writer.write(workspaceID)
        writer.write(recipient)
        writer.write(attempt)
    }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        self.init(workspaceID: try reader.read(), recipient: try reader.readString(), attempt: try reader.readInt())
    }
}
