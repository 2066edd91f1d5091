/// A message of a workspace's operations webhook was given up unsent (docs/rules.md §2.8): its last attempt failed,
/// or its queue was full and it was the oldest waiting behind the one being sent.
public struct OperationsMessageDropped: FactPayload {
    /// Why a message was given up.
    public enum Reason: String, CaseIterable, Hashable, Sendable {
        /// Its last attempt failed.
        case attemptsFailed = "attempts_failed"
        /// A new message found the queue full (``OperationsWebhook/maxQueuedMessages``).
        case queueFull = "queue_full"
    }

    public var workspaceID: WorkspaceID
    /// The message's id (`op_…`).
    public var messageID: String
    public var reason: Reason

    public init(workspaceID: WorkspaceID, messageID: String, reason: Reason) {
        self.workspaceID = workspaceID
        self.messageID = messageID
        self.reason = reason
    }

    public static var tag: FactTag { .operationsMessageDropped }
    public static var name: String { "OperationsMessageDropped" }
    public var fact: Fact { .operationsMessageDropped(self) }

    public var fields: [(String, JSONValue)] {
        [("workspace_id", .id(workspaceID)), ("message_id", .string(messageID)), ("reason", .string(reason.rawValue))]
    }

    public func indexKeys(in state: HookLogState) -> IndexKeys {
        .workspace(workspaceID)
    }

    public func encode(to writer: inout BinaryWriter) {
        writer.write(workspaceID)
        writer.write(messageID)
        writer.write(reason)
    }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        self.init(workspaceID: try reader.read(), messageID: try reader.readString(), reason: try reader.read())
    }
}

extension OperationsMessageDropped.Reason: CaseIndexCodable {
    public static var encodedName: String { "operations drop reason" }
    public static let casesInOrder = allCases
}
