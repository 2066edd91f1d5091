import HookLogCore
import HookLogStore
import Hummingbird

/// A webhook's event log, its audit, and recovery of what was dropped or skipped (docs/rules.md §4).
struct WebhookLogController<C: Clock<Duration>>: Sendable where C.Instant == Timestamp {
    let actions: WebhookActions<C>
    var log: LogService<C> { actions.log }

    /// Adds the routes to `group`, which is at `/v1/webhooks` and admits workspaces whose plan has webhooks.
    func addRoutes(to group: RouterGroup<HookLogRequestContext>) {
        group.get("{id}/deliveries", use: deliveries)
        group.get("{id}/audit", use: audit)
        group.post("{id}/recover", use: recover)
    }

    @Sendable func deliveries(_ request: Request, context: HookLogRequestContext) async throws -> Response {
        let webhook = try webhook(context)
        let query = QueryReader(request)
        let status = try query.string("status").map { text throws(APIError) in
            guard let state = DeliveryState(rawValue: text) else {
                throw APIError.invalidField(
                    "status must be one of \(DeliveryState.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'")
            }
            return state
        }
        let type = try query.string("type").map { text throws(APIError) in try EventType.parse(text, field: "type") }
        let (since, until) = try query.timeRange()
        let page = try await log.store.queries.deliveries(
            ofWebhook: webhook.id,
            matching: DeliveryQuery(
                status: status, type: type, since: since, until: until, text: try query.searchText(),
                before: try query.cursor(), limit: try query.limit()))
        let start = try await log.store.queries.historyStart().flatMap { $0.isReached(from: since) ? $0.at : nil }
        return JSONResponse.page(page.deliveries.map(\.json), nextCursor: page.nextCursor.map(String.init), historyStartsAt: start)
    }

    @Sendable func audit(_ request: Request, context: HookLogRequestContext) async throws -> AuditJSON {
        let workspace = try context.workspace
        let webhook = try webhook(context)
        let (since, until) = try QueryReader(request).timeRange()
        let report = try await actions.audit(of: webhook, since: since, until: until)
        let budget = log.store.withState { $0.errorBudget(of: workspace.id, at: log.clock.now) }
        let ranged = since != nil || until != nil
        let start = try await log.store.queries.historyStart().flatMap { ranged && $0.isReached(from: since) ? $0.at : nil }
        return AuditJSON(
            report: report, webhook: webhook, until: until, budget: budget, historyStartsAt: start)
    }

    @Sendable func recover(_ request: Request, context: HookLogRequestContext) async throws -> EditedResponse<RecoveredDeliveriesJSON> {
        let webhook = try webhook(context)
        let recovery = try await actions.recover(webhook, since: try QueryReader(request).time("since"))
        return EditedResponse(
            status: .accepted,
            response: RecoveredDeliveriesJSON(recovered: recovery.count, deliveries: recovery.listed.map(\.deliveryID.rawValue)))
    }

    /// The webhook the path names, if it is the workspace's.
    private func webhook(_ context: HookLogRequestContext) throws -> Webhook {
        try log.webhook(try context.parameters.require("id"), of: try context.workspace)
    }
}
