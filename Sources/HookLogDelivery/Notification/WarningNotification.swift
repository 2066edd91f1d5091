public import HookLogCore

/// The e-mail that warns a workspace owner that the workspace's error window reached the warning threshold, before
/// the error budget runs out (docs/rules.md §2.4): the count and the limit, which webhooks are failing, the last
/// error of each, and a link to each one's event log on the dashboard.
public enum WarningNotification {
    /// The message to `workspace`'s owner about `warning`.
    ///
    /// - Parameters:
    ///   - sender: the From address.
    ///   - errorWindow: the length of the error window (`--error-window`).
    ///   - failing: the webhooks with failed attempts in the window, in any order; they are listed with the most
    ///     failures first.
    ///   - dashboardURL: the server's public base URL (`--public-url`), where the dashboard's pages are.
    public static func message(
        from sender: String, workspace: Workspace, warning: BudgetWarning, errorWindow: Duration,
        failing: [FailingWebhook], dashboardURL: String
    ) -> EmailMessage {
        let links = DashboardLinks(publicURL: dashboardURL)
        let minutes = errorWindow.components.seconds / 60
        let listed = failing.sorted { ($0.failures, $1.webhook.id) > ($1.failures, $0.webhook.id) }
        let webhookLines = listed.isEmpty ? ["  (none recorded)", ""] : listed.flatMap { failing in
            [
                "  Webhook:   \(failing.webhook.id)",
                "  URL:       \(failing.webhook.url)",
                "  Failures:  \(failing.failures) in the window",
                "  Last error:",
            ] + failing.lastError.emailLines(indent: "    ") + [
                "  Event log: \(links.eventLog(of: failing.webhook.id))",
                "",
            ]
        }
        let body = [
            "Hello,",
            "",
            "Webhooks of your workspace \"\(workspace.name)\" (\(workspace.id)) are failing.",
            "",
            "  Failed attempts in the last \(minutes) minutes: \(warning.errorCount) of \(warning.errorLimit)",
            "  Warned at:  \(warning.at.rfc3339)",
            "",
            "All webhooks of the workspace share this error budget. When more than",
            "\(warning.errorLimit) attempts fail within \(minutes) minutes, HookLog disables the webhook",
            "whose attempt failed and stops sending events to it.",
            "",
            "The failing webhooks, with their last errors:",
            "",
        ] + webhookLines + [
            "Fixing the endpoints now keeps them enabled. Every webhook is on your",
            "webhooks page of the HookLog dashboard:",
            "",
            "  \(links.webhooks)",
            "",
            "You get this warning once each time the count reaches \(warning.warnAt); it is sent",
            "again after the count has fallen below \(warning.warnAt), or a webhook has been enabled.",
            "",
            "-- ",
            "HookLog",
        ]
        return EmailMessage(
            from: sender, to: workspace.ownerEmail,
            subject: "HookLog: \(warning.errorCount) of \(warning.errorLimit) failed attempts in workspace \(workspace.name)",
            textBody: body.joined(separator: "\n") + "\n")
    }
}
