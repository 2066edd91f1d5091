/// The early warning of a workspace's current crossing of its warning threshold (docs/rules.md §2.4): while the
/// state holds one, the warning is disarmed and no other is owed. It ends, re-arming the warning, when the window has
/// fallen below ``warnAt`` (told at the next failure, or by ``HookLogState/budgetWarning(of:at:)`` at any time) or a
/// webhook of the workspace is enabled.
public struct BudgetWarning: Hashable, Codable, Sendable {
    /// When the window reached the threshold.
    public var at: Timestamp
    /// The failures in the window then.
    public var errorCount: Int
    /// The threshold that was reached.
    public var warnAt: Int
    /// The error limit in force then.
    public var errorLimit: Int

    /// The warning a ``WarningThresholdReached`` recorded at `at` raises.
    public init(_ fact: WarningThresholdReached, at: Timestamp) {
        self.at = at
        errorCount = fact.errorCount
        warnAt = fact.warnAt
        errorLimit = fact.errorLimit
    }
}
