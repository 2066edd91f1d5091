/// Sending the warning e-mail of a workspace failed; it is tried again at `nextAttemptAt`, on the disable e-mail's
/// schedule (``DeliveryRules/notificationRetryTime(afterFailedAttempt:at:)``).
public struct WarningNotificationFailed: FactPayload {
    public var workspaceID: WorkspaceID
    public var recipient: String
    public var attempt: Int
    public var error: String
    public var nextAttemptAt: Timestamp

    public init(workspaceID: WorkspaceID, recipient: String, attempt: Int, error: String, nextAttemptAt: Timestamp) {
        self.workspaceID = workspaceID
        self.recipient = recipient
        self.attempt = attempt
        self.error = error
        self.nextAttemptAt = nextAttemptAt
    }

    public static var tag: FactTag { .warningNotificationFailed }
    public static var name: String { "WarningNotificationFailed" }
    public var fact: Fact { .warningNotificationFailed(self) }

    public var fields: [(String, JSONValue)] {
        [("workspace_id", .id(workspaceID)), ("recipient", .string(recipient)), ("attempt", .int(Int64(attempt))),
         ("error", .string(error)), ("next_attempt_at", .string(nextAttemptAt.rfc3339))]
    }

    public func indexKeys(in state: HookLogState) -> IndexKeys {
        .workspace(workspaceID)
    }

    public func encode(to writer: inout BinaryWriter) {
        writer.write(workspaceID)
        writer.write(recipient)
        writer.write(attempt)
        writer.write(error)
        writer.write(nextAttemptAt)
    }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        self.init(
            workspaceID: try reader.read(), recipient: try reader.readString(), attempt: try reader.readInt(),
            error: try reader.readString(), nextAttemptAt: try reader.read())
    }
}
