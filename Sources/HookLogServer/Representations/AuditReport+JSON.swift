import HookLogCore

extension AuditReport {
    /// The API's `Audit` of one webhook, with the workspace's error window as it stands at `now`.
    func json(of webhook: Webhook, until: Timestamp?, errorCount: Int, policy: DeliveryPolicy) -> JSONValue {
        let endpoint = endpoints[webhook.id]
        let byClass = (endpoint?.failuresByClass ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, JSONValue.int(Int64($0.value))) }
        let byStatus = (endpoint?.failuresByStatus ?? [:]).sorted { $0.key < $1.key }.map { (String($0.key), JSONValue.int(Int64($0.value))) }
        let window: JSONValue = .object([
            ("count", .int(Int64(errorCount))), ("limit", .int(Int64(policy.errorLimit))),
            ("window_seconds", .int(policy.errorWindow.components.seconds)),
        ])
        let counts: [(String, JSONValue)] = [
            ("attempts", .int(Int64(endpoint?.attempts ?? 0))), ("failures", .int(Int64(endpoint?.failures ?? 0))),
            ("failures_by_class", .object(byClass)), ("failures_by_status", .object(byStatus)),
            ("dropped", .int(Int64(endpoint?.dropped ?? 0))), ("skipped", .int(Int64(endpoint?.skipped ?? 0))),
        ]
        return .object([
            ("webhook_id", .string(webhook.id.rawValue)), ("since", since.map { .string($0.rfc3339) } ?? .null),
            ("until", until.map { .string($0.rfc3339) } ?? .null),
        ] + counts + [
            ("error_window", window),
            ("status_changes", .array(statusChanges.filter { $0.webhookID == webhook.id }.map(\.json))),
        ])
    }
}

extension AuditReport.StatusChange {
    /// One disable, enable or notification, as the audit lists it.
    var json: JSONValue {
        let details: [(String, JSONValue)] = switch kind {
        case .disabled(let reason, let errorCount):
            [("kind", .string("disabled")), ("reason", .string(reason)), ("error_count", .int(Int64(errorCount)))]
        case .enabled(let recover):
            [("kind", .string("enabled")), ("recover", .bool(recover))]
        case .notified(let recipient):
            [("kind", .string("notified")), ("recipient", .string(recipient))]
        case .notificationFailed(let error):
            [("kind", .string("notification_failed")), ("error", .string(error))]
        }
        return .object([("at", .string(at.rfc3339))] + details)
    }
}
