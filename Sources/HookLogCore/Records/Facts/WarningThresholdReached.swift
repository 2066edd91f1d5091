/// A failed attempt brought a workspace's error window to its warning threshold while the warning was armed: its
/// owner is owed one warning e-mail, and the warning stays disarmed until the window falls below `warnAt` again or a
/// webhook of the workspace is enabled (docs/rules.md §2.4).
public struct WarningThresholdReached: FactPayload {
    public var workspaceID: WorkspaceID
    /// The workspace's failed attempts in the window, the one that reached the threshold included.
    public var errorCount: Int
    /// The threshold in force (`--warn-at`): the window falling below it re-arms the warning.
    public var warnAt: Int
    /// The error limit in force, whose crossing disables a webhook.
    public var errorLimit: Int

    public init(workspaceID: WorkspaceID, errorCount: Int, warnAt: Int, errorLimit: Int) {
        self.workspaceID = workspaceID
        self.errorCount = errorCount
        self.warnAt = warnAt
        self.errorLimit = errorLimit
    }

    public static var tag: FactTag { .warningThresholdReached }
    public static var name: String { "WarningThresholdReached" }
    public var fact: Fact { .warningThresholdReached(self) }

    public var fields: [(String, JSONValue)] {
        [("workspace_id", .id(workspaceID)), ("error_count", .int(Int64(errorCount))), ("warn_at", .int(Int64(warnAt))),
         ("error_limit", .int(Int64(errorLimit)))]
    }

    public func indexKeys(in state: HookLogState) -> IndexKeys {
        .workspace(workspaceID)
    }

    public func encode(to writer: inout BinaryWriter) {
        writer.write(workspaceID)
        writer.write(errorCount)
        writer.write(warnAt)
        writer.write(errorLimit)
    }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        self.init(
            workspaceID: try reader.read(), errorCount: try reader.readInt(), warnAt: try reader.readInt(),
            errorLimit: try reader.readInt())
    }
}
