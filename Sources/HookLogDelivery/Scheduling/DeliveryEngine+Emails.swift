import HookLogCore
import HookLogStore

/// The engine's e-mail jobs (docs/rules.md §2.4, §2.5): the disable and warning e-mails, sent through the SMTP
/// server of ``NotificationSettings`` and recorded like any attempt.
extension DeliveryEngine {
    /// Sends the disable e-mail of a webhook once and records whether the mail server took it (docs/rules.md §2.5).
    func notify(_ webhookID: WebhookID) async throws {
        let now = clock.now
        guard let (pending, webhook, workspace) = store.withState({ state -> (PendingNotification, Webhook, Workspace)? in
            guard let pending = state.notifications[webhookID], pending.nextAttemptAt <= now,
                  let webhook = state.webhooks[webhookID], let workspace = state.workspaces[webhook.workspaceID]
            else { return nil }
            return (pending, webhook, workspace)
        }) else { return }
        let error = try await mail(at: now, messageID: "\(webhookID).\(pending.disabledAt.milliseconds)@hooklog") { smtp in
            DisableNotification.message(
                from: smtp.sender, workspace: workspace, webhook: webhook, disabledAt: pending.disabledAt,
                reason: webhook.disabledReason ?? "the workspace's error budget was exceeded",
                lastErrors: try await lastErrors(of: webhookID),
                dashboardURL: notifications.publicURL)
        }
        try await record(.recordNotification(webhookID, error: error), of: "the disable e-mail of \(webhookID)")
    }

    /// Sends the warning e-mail of a workspace once and records whether the mail server took it (docs/rules.md
    /// §2.4), on the disable e-mail's schedule.
    func warn(_ workspaceID: WorkspaceID) async throws {
        let now = clock.now
        guard let (pending, workspace, webhooks, errorWindow) = store.withState({
            state -> (PendingWarning, Workspace, [Webhook], Duration)? in
            guard let pending = state.warningNotifications[workspaceID], pending.nextAttemptAt <= now,
                  let workspace = state.workspaces[workspaceID]
            else { return nil }
            return (pending, workspace, state.webhooks(of: workspaceID), state.policy.errorWindow)
        }) else { return }
        let messageID = "\(workspaceID).warning.\(pending.warning.at.milliseconds)@hooklog"
        let error = try await mail(at: now, messageID: messageID) { smtp in
            WarningNotification.message(
                from: smtp.sender, workspace: workspace, warning: pending.warning, errorWindow: errorWindow,
                failing: try await failing(webhooks, before: pending.warning.at, within: errorWindow),
                dashboardURL: notifications.publicURL)
        }
        try await record(.recordWarningNotification(workspaceID, error: error), of: "the warning e-mail of \(workspaceID)")
    }

    /// Sends the message `compose` writes for the configured SMTP server, dated `now`, and returns why the server did
    /// not take it, or that none is configured; nil once it took it. A cancellation is thrown, not returned.
    private func mail(
        at now: Timestamp, messageID: String, _ compose: (SMTPConfiguration) async throws -> EmailMessage
    ) async throws -> String? {
        guard let smtp = notifications.smtp else { return "no SMTP server is configured (--smtp-url)" }
        let message = try await compose(smtp)
        do {
            try await SMTPClient(configuration: smtp).send(message, date: now, messageID: messageID)
            return nil
        } catch {
            try Task.checkCancellation()
            return String(describing: error)
        }
    }

    /// Those of `webhooks` with failed attempts in the error window that ends at `end`, each with its count of them
    /// and its last one, for the warning e-mail.
    private func failing(_ webhooks: [Webhook], before end: Timestamp, within window: Duration) async throws -> [FailingWebhook] {
        let start = end.adding(.zero - window)
        var failing: [FailingWebhook] = []
        for webhook in webhooks {
            let failures = try await store.queries.latestRecords(ofWebhook: webhook.id, limit: 200).compactMap { entry -> AttemptRecord? in
                guard entry.record.at > start, entry.record.at <= end, case .attemptFailed(let fact) = entry.record.fact
                else { return nil }
                return AttemptRecord(fact)
            }
            if let last = failures.first { failing.append(FailingWebhook(webhook: webhook, failures: failures.count, lastError: last)) }
        }
        return failing
    }

    /// The webhook's last failed attempts, newest first, for the disable e-mail.
    private func lastErrors(of webhookID: WebhookID) async throws -> [AttemptRecord] {
        try await store.queries.latestRecords(ofWebhook: webhookID, limit: 200).lazy.compactMap { entry -> AttemptRecord? in
            guard case .attemptFailed(let fact) = entry.record.fact else { return nil }
            return AttemptRecord(fact)
        }.prefix(10).map { $0 }
    }
}
