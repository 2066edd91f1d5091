/// A warning e-mail (docs/rules.md §2.4) that the mail server has not accepted yet, retried like a disable e-mail.
public struct PendingWarning: Hashable, Codable, Sendable {
    public var workspaceID: WorkspaceID
    public var recipient: String
    /// The warning the e-mail tells of.
    public var warning: BudgetWarning
    /// Sending tries that failed so far.
    public var failedAttempts: Int
    /// When to try again.
    public var nextAttemptAt: Timestamp
}
