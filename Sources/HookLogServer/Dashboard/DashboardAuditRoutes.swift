import HookLogCore
import HookLogStore
import Hummingbird

extension HookLogAPI {
    /// `GET /audit`: failures per endpoint by class and status code, and every disable and enable, newest first.
    func addDashboardAuditRoutes(to router: APIRouter<BasicRequestContext>, dashboard: Dashboard) {
        router.on(.get, "/audit") { request, _ in
            try await self.dashboardPage(request, dashboard) { signedIn in
                let workspace = try self.webhookWorkspace(of: signedIn)
                let webhooks = self.store.withState { $0.webhooks(of: workspace.id) }.sorted { WebhookCursor($0) < WebhookCursor($1) }
                var endpoints: [[String: Any]] = []
                var history: [(at: Timestamp, row: [String: Any])] = []
                for webhook in webhooks {
                    var report = AuditReport()
                    for entry in try self.store.reader.records(ofWebhook: webhook.id) { report.apply(entry.record) }
                    let endpoint = report.endpoints[webhook.id]
                    endpoints.append([
                        "id": webhook.id.rawValue, "url": webhook.url, "active": webhook.status == .active,
                        "attempts": endpoint?.attempts ?? 0, "failures": endpoint?.failures ?? 0,
                        "dropped": endpoint?.dropped ?? 0, "skipped": endpoint?.skipped ?? 0,
                        "classes": (endpoint?.failuresByClass ?? [:]).sorted { $0.key < $1.key }.map { ["name": $0.key, "count": $0.value] },
                        "statuses": (endpoint?.failuresByStatus ?? [:]).sorted { $0.key < $1.key }.map { ["code": $0.key, "count": $0.value] },
                    ])
                    for change in report.statusChanges where change.webhookID == webhook.id {
                        history.append((change.at, ["at": change.at.rfc3339, "url": webhook.url, "id": webhook.id.rawValue] + Self.describe(change.kind)))
                    }
                }
                return dashboard.page("audit", title: "Audit", signedIn: signedIn, [
                    "endpoints": endpoints, "hasEndpoints": !endpoints.isEmpty,
                    "history": history.sorted { $0.at > $1.at }.map(\.row), "hasHistory": !history.isEmpty,
                ])
            }
        }
    }

    /// A status change as the history table shows it.
    private static func describe(_ kind: AuditReport.StatusChange.Kind) -> [String: Any] {
        switch kind {
        case .disabled(let reason, let errorCount):
            ["kind": "disabled", "detail": "\(reason) (\(errorCount) errors in the window)"]
        case .enabled(let recover):
            ["kind": "enabled", "detail": recover ? "skipped deliveries recovered" : "without recovery"]
        case .notified(let recipient):
            ["kind": "notified", "detail": "e-mailed \(recipient)"]
        case .notificationFailed(let error):
            ["kind": "notification failed", "detail": error]
        }
    }
}

private func + (lhs: [String: Any], rhs: [String: Any]) -> [String: Any] {
    lhs.merging(rhs) { $1 }
}
