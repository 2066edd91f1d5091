import HookLogCore
import HookLogStore
import Hummingbird

/// `GET /v1/deliveries/{id}` and `POST /v1/deliveries/{id}/redeliver`.
struct DeliveryController<C: Clock<Duration>>: Sendable where C.Instant == Timestamp {
    let actions: WebhookActions<C>
    var log: LogService<C> { actions.log }

    /// Adds the routes to `group`, which is at `/v1/deliveries` and admits workspace keys; redelivering needs a plan
    /// with webhooks.
    func addRoutes(to group: RouterGroup<HookLogRequestContext>) {
        group.get("{id}", use: read)
        group.group().add(middleware: AccessMiddleware(.webhooks)).post("{id}/redeliver", use: redeliver)
    }

    @Sendable func read(_ request: Request, context: HookLogRequestContext) async throws -> Response {
        JSONResponse.make(.ok, try await log.delivery(try context.parameters.require("id"), of: try context.workspace).json)
    }

    @Sendable func redeliver(_ request: Request, context: HookLogRequestContext) async throws -> Response {
        let redelivery = try await actions.redeliver(try context.parameters.require("id"), of: try context.workspace)
        guard let delivery = try await log.store.queries.delivery(redelivery) else { throw APIError.unavailable }
        return JSONResponse.make(.accepted, delivery.json)
    }
}
