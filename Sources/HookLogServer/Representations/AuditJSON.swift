import HookLogCore
import Hummingbird

/// The API's `Audit` of one webhook, with the workspace's error window and early warning as they stand now.
struct AuditJSON: ResponseEncodable {
    let report: AuditReport
    let webhook: Webhook
    let until: Timestamp?
    let budget: ErrorBudgetStatus
    /// Where history starts, when the audit's range reaches before it.
    let historyStartsAt: Timestamp?

    private enum CodingKeys: String, CodingKey {
        case since, until, attempts, failures, dropped, skipped
        case historyStartsAt = "history_starts_at"
        case webhookID = "webhook_id"
        case failuresByClass = "failures_by_class"
        case failuresByStatus = "failures_by_status"
        case errorWindow = "error_window"
        case statusChanges = "status_changes"
    }

    private enum WindowKeys: String, CodingKey {
        case count, limit, warning
        case windowSeconds = "window_seconds"
        case warnAt = "warn_at"
    }

    private enum WarningKeys: String, CodingKey {
        case at, email
        case errorCount = "error_count"
    }

    func encode(to encoder: any Encoder) throws {
        let endpoint = report.endpoints[webhook.id]
        var fields = encoder.container(keyedBy: CodingKeys.self)
        try fields.encode(webhook.id.rawValue, forKey: .webhookID)
        try fields.encode(report.since?.rfc3339, forKey: .since)
        try fields.encode(until?.rfc3339, forKey: .until)
        try fields.encode(endpoint?.attempts ?? 0, forKey: .attempts)
        try fields.encode(endpoint?.failures ?? 0, forKey: .failures)
        try fields.encode(endpoint?.failuresByClass ?? [:], forKey: .failuresByClass)
        let byStatus = (endpoint?.failuresByStatus ?? [:]).map { (String($0.key), $0.value) }
        try fields.encode(Dictionary(uniqueKeysWithValues: byStatus), forKey: .failuresByStatus)
        try fields.encode(endpoint?.dropped ?? 0, forKey: .dropped)
        try fields.encode(endpoint?.skipped ?? 0, forKey: .skipped)
        var window = fields.nestedContainer(keyedBy: WindowKeys.self, forKey: .errorWindow)
        try window.encode(budget.errorCount, forKey: .count)
        try window.encode(budget.policy.errorLimit, forKey: .limit)
        try window.encode(budget.policy.errorWindow.components.seconds, forKey: .windowSeconds)
        try window.encode(budget.policy.warningThreshold, forKey: .warnAt)
        if let warning = budget.warning {
            var fields = window.nestedContainer(keyedBy: WarningKeys.self, forKey: .warning)
            try fields.encode(warning.at.rfc3339, forKey: .at)
            try fields.encode(warning.errorCount, forKey: .errorCount)
            try fields.encode(budget.warningSent ? "sent" : "pending", forKey: .email)
        } else {
            try window.encodeNil(forKey: .warning)
        }
        try fields.encode(report.statusChanges.filter { $0.webhookID == webhook.id }.map(StatusChangeJSON.init), forKey: .statusChanges)
        try fields.encodeIfPresent(historyStartsAt?.rfc3339, forKey: .historyStartsAt)
    }
}

/// One disable, enable or notification, as the audit lists it.
struct StatusChangeJSON: Encodable {
    let change: AuditReport.StatusChange

    private enum CodingKeys: String, CodingKey {
        case at, kind, reason, recover, recipient, error
        case errorCount = "error_count"
    }

    func encode(to encoder: any Encoder) throws {
        var fields = encoder.container(keyedBy: CodingKeys.self)
        try fields.encode(change.at.rfc3339, forKey: .at)
        switch change.kind {
        case .disabled(let reason, let errorCount):
            try fields.encode("disabled", forKey: .kind)
            try fields.encode(reason, forKey: .reason)
            try fields.encode(errorCount, forKey: .errorCount)
        case .enabled(let recover):
            try fields.encode("enabled", forKey: .kind)
            try fields.encode(recover, forKey: .recover)
        case .notified(let recipient):
            try fields.encode("notified", forKey: .kind)
            try fields.encode(recipient, forKey: .recipient)
        case .notificationFailed(let error):
            try fields.encode("notification_failed", forKey: .kind)
            try fields.encode(error, forKey: .error)
        }
    }
}
