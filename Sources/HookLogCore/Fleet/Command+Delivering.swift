extension Command {
    /// Whether this command records the outcome of an attempt or an e-mail (``deliveringWorkspace(in:)``).
    public var recordsDelivery: Bool {
        switch self {
        case .recordAttempt, .recordNotification, .recordWarningNotification, .recordOperationsAttempt: true
        default: false
        }
    }

    /// The workspace whose partition's owner alone may record this command, in a fleet (docs/postgres.md): the
    /// outcome of an attempt or an e-mail its delivery made. Nil for every other command, which any node decides, and
    /// for an outcome whose webhook `state` no longer holds, which the rules refuse anyway.
    public func deliveringWorkspace(in state: HookLogState) -> WorkspaceID? {
        switch self {
        case .recordAttempt(let report): state.webhooks[report.webhookID]?.workspaceID
        case .recordNotification(let webhookID, _): state.webhooks[webhookID]?.workspaceID
        case .recordWarningNotification(let workspaceID, _): workspaceID
        case .recordOperationsAttempt(let report): report.workspaceID
        default: nil
        }
    }
}
