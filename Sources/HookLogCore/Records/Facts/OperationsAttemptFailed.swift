/// An attempt to POST a message to a workspace's operations webhook failed (docs/rules.md §2.8); `nextAttemptAt` is
/// when it is retried, nil after the last attempt. It never counts against the error budget.
public struct OperationsAttemptFailed: FactPayload {
    public var workspaceID: WorkspaceID
    /// The message's id (`op_…`).
    public var messageID: String
    public var number: Int
    public var startedAt: Timestamp
    public var durationMilliseconds: Int
    public var failure: AttemptFailure
    public var responseSnippet: String
    public var nextAttemptAt: Timestamp?

    public init(
        workspaceID: WorkspaceID, messageID: String, number: Int, startedAt: Timestamp, durationMilliseconds: Int,
        failure: AttemptFailure, responseSnippet: String, nextAttemptAt: Timestamp?
    ) {
        self.workspaceID = workspaceID
        self.messageID = messageID
        self.number = number
        self.startedAt = startedAt
        self.durationMilliseconds = durationMilliseconds
        self.failure = failure
        self.responseSnippet = responseSnippet
        self.nextAttemptAt = nextAttemptAt
    }

    public static var tag: FactTag { .operationsAttemptFailed }
    public static var name: String { "OperationsAttemptFailed" }
    public var fact: Fact { .operationsAttemptFailed(self) }

    public var fields: [(String, JSONValue)] {
        [("workspace_id", .id(workspaceID)), ("message_id", .string(messageID)), ("number", .int(Int64(number))),
         ("started_at", .string(startedAt.rfc3339)), ("duration_ms", .int(Int64(durationMilliseconds))),
         ("status_code", failure.statusCode.map { .int(Int64($0)) } ?? .null),
         ("error", failure.error.map { .string($0.rawValue) } ?? .null),
         ("response", .string(responseSnippet)),
         ("next_attempt_at", nextAttemptAt.map { .string($0.rfc3339) } ?? .null)]
    }

    public func indexKeys(in state: HookLogState) -> IndexKeys {
        .workspace(workspaceID)
    }

    public func encode(to writer: inout BinaryWriter) {
        writer.write(workspaceID)
        writer.write(messageID)
        writer.write(number)
        writer.write(startedAt)
        writer.write(durationMilliseconds)
        writer.write(failure)
        writer.write(responseSnippet)
        writer.write(nextAttemptAt) { $0.write($1) }
    }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        self.init(
            workspaceID: try reader.read(), messageID: try reader.readString(), number: try reader.readInt(),
            startedAt: try reader.read(), durationMilliseconds: try reader.readInt(), failure: try reader.read(),
            responseSnippet: try reader.readString(),
            nextAttemptAt: try reader.readOptional { reader throws(DecodingFailure) in try reader.read() })
    }
}
