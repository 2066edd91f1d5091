/// An attempt to POST a message to a workspace's operations webhook got a 2xx in time (docs/rules.md §2.8): the
/// message leaves the queue.
public struct OperationsAttemptSucceeded: FactPayload {
    public var workspaceID: WorkspaceID
    /// The message's id (`op_…`).
    public var messageID: String
    public var number: Int
    public var startedAt: Timestamp
    public var durationMilliseconds: Int
    public var statusCode: Int
    public var responseSnippet: String

    public init(
        workspaceID: WorkspaceID, messageID: String, number: Int, startedAt: Timestamp, durationMilliseconds: Int,
        statusCode: Int, responseSnippet: String
    ) {
        self.workspaceID = workspaceID
        self.messageID = messageID
        self.number = number
        self.startedAt = startedAt
        self.durationMilliseconds = durationMilliseconds
        self.statusCode = statusCode
        self.responseSnippet = responseSnippet
    }

    public static var tag: FactTag { .operationsAttemptSucceeded }
    public static var name: String { "OperationsAttemptSucceeded" }
    public var fact: Fact { .operationsAttemptSucceeded(self) }

    public var fields: [(String, JSONValue)] {
        [("workspace_id", .id(workspaceID)), ("message_id", .string(messageID)), ("number", .int(Int64(number))),
         ("started_at", .string(startedAt.rfc3339)), ("duration_ms", .int(Int64(durationMilliseconds))),
         ("status_code", .int(Int64(statusCode))), ("response", .string(responseSnippet))]
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
        writer.write(statusCode)
        writer.write(responseSnippet)
    }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        self.init(
            workspaceID: try reader.read(), messageID: try reader.readString(), number: try reader.readInt(),
            startedAt: try reader.read(), durationMilliseconds: try reader.readInt(), statusCode: try reader.readInt(),
            responseSnippet: try reader.readString())
    }
}
