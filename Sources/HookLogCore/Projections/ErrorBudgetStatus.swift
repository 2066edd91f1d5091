/// A workspace's error budget as it stands at one time (docs/rules.md §2.4): the failures in the window, the limit,
/// the warning threshold, and the early warning of the current crossing with whether its e-mail went out. What the
/// audit and the dashboard show where they show the budget.
public struct ErrorBudgetStatus: Hashable, Sendable {
    /// The failures in the window.
    public var errorCount: Int
    /// The numbers in force: the limit, the window and the warning threshold.
    public var policy: DeliveryPolicy
    /// The warning of the current crossing of the threshold, while it is in force; nil while the warning is armed.
    public var warning: BudgetWarning?
    /// Whether the mail server accepted the e-mail of ``warning`` (false while it is being tried again).
    public var warningSent: Bool
}

extension HookLogState {
    /// The workspace's error budget at `now`.
    public func errorBudget(of workspaceID: WorkspaceID, at now: Timestamp) -> ErrorBudgetStatus {
        let warning = budgetWarning(of: workspaceID, at: now)
        return ErrorBudgetStatus(
            errorCount: errorCount(of: workspaceID, at: now), policy: policy, warning: warning,
            warningSent: warning != nil && warningNotifications[workspaceID]?.warning != warning)
    }
}
