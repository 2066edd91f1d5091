public import HookLogCore

extension HookLogState {
    /// Whether an engine has done everything due at `now`: every active queue's head waits for a later time, and no
    /// e-mail or operations message is due. Tests wait for this after moving a manual clock.
    public func hasNothingDue(at now: Timestamp) -> Bool {
        webhooks.values.allSatisfy { webhook in
            webhook.status == .disabled || (queues[webhook.id]?.head.map { $0.nextAttemptAt > now } ?? true)
        } && notifications.values.allSatisfy { $0.nextAttemptAt > now }
            && warningNotifications.values.allSatisfy { $0.nextAttemptAt > now }
            && operationsWebhooks.values.allSatisfy { $0.head.map { $0.nextAttemptAt > now } ?? true }
    }
}
