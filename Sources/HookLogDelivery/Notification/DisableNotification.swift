public import HookLogCore

/// The e-mail that tells a workspace owner a webhook was disabled (docs/rules.md §2.5): "which webhook, when, the last
/// errors, how to re-enable".
public enum DisableNotification {
    /// At most this many of the last errors are listed.
    public static let maximumErrorsListed = 10
    /// Response snippets are cut to this many characters.
    public static let snippetLength = 200

    /// The message to `workspace`'s owner about `webhook`, disabled at `disabledAt` for `reason`.
    ///
    /// - Parameters:
    ///   - sender: the From address.
    ///   - lastErrors: the failed attempts that led to it, in any order; the ``maximumErrorsListed`` most recent
    ///     are listed, newest first.
    ///   - enableURL: the webhook's full `POST /v1/webhooks/{id}/enable` URL.
    public static func message(
        from sender: String, workspace: Workspace, webhook: Webhook, disabledAt: Timestamp, reason: String,
        lastErrors: [AttemptRecord], enableURL: String
    ) -> EmailMessage {
        let recoverURL = enableURL + (enableURL.contains("?") ? "&" : "?") + "recover=true"
        let errors = lastErrors.sorted { $0.startedAt > $1.startedAt }.prefix(maximumErrorsListed)
        let errorLines = errors.isEmpty ? ["  (none recorded)"] : errors.flatMap(describe)
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
            "To enable it again, fix the endpoint, then either",
            "",
            "  - enable it, and new events are delivered again:",
            "      POST \(enableURL)",
            "",
            "  - or enable it and recover: the events skipped while it was disabled",
            "    are queued again, in their original order:",
            "      POST \(recoverURL)",
            "",
            "Either way the workspace's error count starts afresh. To enable and recover with curl:",
            "",
            "  curl -X POST -H \"Authorization: Bearer <your API key>\" \"\(recoverURL)\"",
            "",
            "The Enable button on the HookLog dashboard does the same.",
            "",
            "-- ",
            "HookLog",
        ]
        return EmailMessage(
            from: sender, to: workspace.ownerEmail, subject: "HookLog: webhook \(webhook.url) was disabled",
            textBody: body.joined(separator: "\n") + "\n")
    }

    /// An attempt's lines in the list of errors: when, which attempt, what went wrong, and what the endpoint said.
    private static func describe(_ attempt: AttemptRecord) -> [String] {
        let failure = attempt.statusCode.map { "HTTP \($0)" } ?? attempt.error.map(\.rawValue) ?? "failed"
        var lines = ["  \(attempt.startedAt.rfc3339)  attempt \(attempt.number)  \(failure)  (\(attempt.durationMilliseconds) ms)"]
        let snippet = String(attempt.responseSnippet.unicodeScalars.map {
            $0.properties.generalCategory == .control ? " " : Character($0)
        })
        if !snippet.allSatisfy(\.isWhitespace) {
            let cut = snippet.count > snippetLength ? String(snippet.prefix(snippetLength)) + "…" : snippet
            lines.append("      response: \(cut)")
        }
        return lines
    }
}
