import HookLogCore
import Hummingbird

/// `GET /audit`: failures per endpoint by class and status code, and every disable and enable, newest first.
struct DashboardAuditController<C: Clock<Duration>>: Sendable where C.Instant == Timestamp {
    let actions: WebhookActions<C>
    let dashboard: Dashboard

    /// Adds the page to `group`, for workspaces whose plan has webhooks.
    func addRoutes(to group: RouterGroup<HookLogRequestContext>) {
        group.get("/audit", use: audit)
    }

    @Sendable func audit(_ request: Request, context: HookLogRequestContext) async throws -> Response {
        let signedIn = try context.browser
        var endpoints: [[String: Any]] = []
        var history: [(at: Timestamp, row: [String: Any])] = []
        for webhook in actions.log.webhooks(of: signedIn.workspace) {
            let report = try await actions.audit(of: webhook)
            let endpoint = report.endpoints[webhook.id]
            endpoints.append([
                "id": webhook.id.rawValue, "url": webhook.url, "active": webhook.status == .active,
                "attempts": endpoint?.attempts ?? 0, "failures": endpoint?.failures ?? 0,
                "dropped": endpoint?.dropped ?? 0, "skipped": endpoint?.skipped ?? 0,
                "classes": (endpoint?.failuresByClass ?? [:]).sorted { $0.key < $1.key }.map { ["name": $0.key, "count": $0.value] },
                "statuses": (endpoint?.failuresByStatus ?? [:]).sorted { $0.key < $1.key }.map { ["code": $0.key, "count": $0.value] },
            ])
            for change in report.statusChanges where change.webhookID == webhook.id {
                let row: [String: Any] = ["at": change.at.rfc3339, "url": webhook.url, "id": webhook.id.rawValue]
                history.append((change.at, row.merging(Self.describe(change.kind)) { $1 }))
            }
        }
        return dashboard.page("audit", title: "Audit", signedIn: signedIn, [
            "endpoints": endpoints, "hasEndpoints": !endpoints.isEmpty,
            "history": history.sorted { $0.at > $1.at }.map(\.row), "hasHistory": !history.isEmpty,
        ])
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
