public import HookLogCore

/// The e-mail that tells a workspace owner a webhook was disabled (docs/rules.md §2.5): "which webhook, when, the last
/// errors, how to re-enable".
public enum DisableNotification {
    /// At most this many of the last errors are listed.
    public static let maximumErrorsListed = 10
    /// Response snippets are cut to this many characters.
    public static var snippetLength: Int { AttemptRecord.emailSnippetLength }

    /// The message to `workspace`'s owner about `webhook`, disabled at `disabledAt` for `reason`.
    ///
    /// - Parameters:
    ///   - sender: the From address.
    ///   - lastErrors: the failed attempts that led to it, in any order; the ``maximumErrorsListed`` most recent
    ///     are listed, newest first.
    ///   - dashboardURL: the server's public base URL (`--public-url`), where the dashboard's pages are.
    public static func message(
        from sender: String, workspace: Workspace, webhook: Webhook, disabledAt: Timestamp, reason: String,
        lastErrors: [AttemptRecord], dashboardURL: String
    ) -> EmailMessage {
        let links = DashboardLinks(publicURL: dashboardURL)
        let errors = lastErrors.sorted { $0.startedAt > $1.startedAt }.prefix(maximumErrorsListed)
        let errorLines = errors.isEmpty ? ["  (none recorded)"] : errors.flatMap { $0.emailLines() }
        let body = [
            "Hello,",
            "",
            "HookLog disabled a webhook of your workspace \"\(workspace.name)\" (\(workspace.id))",
            "and has stopped sending events to it.",
            "",
            "  Webhook:   \(webhook.id)",
            "  URL:       \(webhook.url)",
            "  Events:    \(webhook.events.map(\.rawValue).joined(separator: ", "))",
            "  Disabled:  \(disabledAt.rfc3339)",
            "  Reason:    \(reason)",
            "",
            "The last errors, most recent first:",
            "",
        ] + errorLines + [
            "",
            "While the webhook is disabled, its events are not sent: each is recorded",
            "as skipped and kept in the log.",
            "",
            "To enable it again, fix the endpoint, then press Enable beside it on your",
            "webhooks page of the HookLog dashboard; tick \"also recover skipped events\"",
            "to queue the events skipped while it was disabled again, in their original order:",
            "",
            "  \(links.webhooks)",
            "",
            "Its event log shows every delivery and attempt, and why each failed:",
            "",
            "  \(links.eventLog(of: webhook.id))",
            "",
            "Either way the workspace's error count starts afresh. With the API, the same is",
            "POST /v1/webhooks/\(webhook.id)/enable (add ?recover=true to recover).",
            "",
            "-- ",
            "HookLog",
        ]
        return EmailMessage(
            from: sender, to: workspace.ownerEmail, subject: "HookLog: webhook \(webhook.url) was disabled",
            textBody: body.joined(separator: "\n") + "\n")
    }
}
