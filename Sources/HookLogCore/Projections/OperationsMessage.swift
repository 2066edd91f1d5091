/// What an operations message tells of (docs/rules.md §2.8): its `type` in the body.
public enum OperationsEventType: String, CaseIterable, Hashable, Codable, Sendable {
    case webhookDisabled = "webhook.disabled"
    case webhookEnabled = "webhook.enabled"
    case webhookSecretRotated = "webhook.secret_rotated"
    case deliveryDropped = "delivery.dropped"
    case errorBudgetWarning = "error_budget.warning"
}

/// One message waiting for a workspace's operations webhook: a projection of the record it tells of, its body built
/// when that record is folded, so a restart or a rebuild sends the same bytes.
public struct OperationsMessage: Hashable, Codable, Sendable {
    /// `op_` and the sequence of the record it tells of: the `webhook-id` header, the same on every attempt.
    public var id: String
    public var type: OperationsEventType
    /// The JSON body: `{"id","type","workspace_id","occurred_at","data"}`.
    public var body: String
    /// Attempts made so far.
    public var attempts = 0
    /// When it is due: the time of its record at first, then each retry's.
    public var nextAttemptAt: Timestamp

    /// The message about what happened in `workspaceID` at `at`, recorded at `sequence`, with `data`.
    init(sequence: UInt64, type: OperationsEventType, workspaceID: WorkspaceID, at: Timestamp, data: JSONValue) {
        id = "op_\(sequence)"
        self.type = type
        body = JSONValue.object([
            ("id", .string(id)), ("type", .string(type.rawValue)), ("workspace_id", .id(workspaceID)),
            ("occurred_at", .string(at.rfc3339)), ("data", data),
        ]).text
        nextAttemptAt = at
    }
}
