import HookLogCore
import HookLogStore
import Hummingbird

extension HookLogAPI {
    /// A webhook's event log, its audit, and recovery of what was dropped or skipped (docs/rules.md §4).
    func addWebhookLogRoutes(to router: APIRouter<BasicRequestContext>) {
        router.on(.get, "/v1/webhooks/{id}/deliveries") { request, context in
            let workspace = try self.webhookWorkspace(of: request)
            let webhook = try self.webhook(try context.parameters.require("id"), of: workspace)
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
            let page = try self.store.reader.deliveries(
                ofWebhook: webhook.id,
                matching: DeliveryQuery(
                    status: status, type: type, since: since, until: until, before: try query.cursor(), limit: try query.limit()))
            return JSONResponse.page(page.deliveries.map(\.json), nextCursor: page.nextCursor.map(String.init))
        }
        router.on(.get, "/v1/webhooks/{id}/audit") { request, context in
            let workspace = try self.webhookWorkspace(of: request)
            let webhook = try self.webhook(try context.parameters.require("id"), of: workspace)
            let (since, until) = try QueryReader(request).timeRange()
            var report = AuditReport(since: since)
            for entry in try self.store.reader.records(ofWebhook: webhook.id) where until.map({ entry.record.at <= $0 }) ?? true {
                report.apply(entry.record)
            }
            let (errors, policy) = self.store.withState { ($0.errorCount(of: workspace.id, at: self.clock.now), $0.policy) }
            return JSONResponse.make(.ok, report.json(of: webhook, until: until, errorCount: errors, policy: policy))
        }
        router.on(.post, "/v1/webhooks/{id}/recover") { request, context in
            let workspace = try self.webhookWorkspace(of: request)
            let webhook = try self.webhook(try context.parameters.require("id"), of: workspace)
            let since = try QueryReader(request).time("since")
            let recoverable = try self.store.reader.recoverableDeliveries(ofWebhook: webhook.id, since: since)
            let records = try await self.execute(.recoverDeliveries(webhook.id, recoverable))
            let recovered = records.flatMap { entry -> [DeliveryReference] in
                guard case .deliveriesRecovered(let fact) = entry.record.fact else { return [] }
                return fact.deliveries
            }
            return JSONResponse.make(.accepted, .object([
                ("recovered", .int(Int64(recovered.count))),
                ("deliveries", .array(recovered.map { .string($0.deliveryID.rawValue) })),
            ]))
        }
    }
}
