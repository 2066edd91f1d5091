import HookLogCore
import HookLogStore
import Hummingbird

extension HookLogAPI {
    /// `GET /v1/deliveries/{id}` and `POST /v1/deliveries/{id}/redeliver`.
    func addDeliveryRoutes(to router: APIRouter<BasicRequestContext>) {
        router.on(.get, "/v1/deliveries/{id}") { request, context in
            let workspace = try self.workspace(of: request)
            return JSONResponse.make(.ok, try self.delivery(try context.parameters.require("id"), of: workspace).json)
        }
        router.on(.post, "/v1/deliveries/{id}/redeliver") { request, context in
            let workspace = try self.webhookWorkspace(of: request)
            let redelivery = try await self.redeliver(try context.parameters.require("id"), of: workspace)
            guard let delivery = try self.store.reader.delivery(redelivery) else { throw APIError.unavailable }
            return JSONResponse.make(.accepted, delivery.json)
        }
    }

    /// Queues the delivery `id` of `workspace` again as a new delivery, once durable, and returns the new one's id.
    func redeliver(_ id: String, of workspace: Workspace) async throws -> DeliveryID {
        let original = try delivery(id, of: workspace)
        let webhook = try webhook(original.webhookID.rawValue, of: workspace)
        let records = try await execute(.redeliver(
            webhook.id, original: original.deliveryID, eventID: original.eventID, eventType: original.eventType,
            eventSequence: original.eventSequence))
        guard case .redeliveryRequested(let fact) = records.first?.record.fact else { throw APIError.unavailable }
        return fact.delivery.deliveryID
    }

    /// The delivery `id` if its event belongs to `workspace`; 404 otherwise, whoever's it is.
    func delivery(_ id: String, of workspace: Workspace) throws -> DeliveryRecord {
        guard let delivery = try store.reader.delivery(DeliveryID(id)),
            try store.reader.event(delivery.eventID, in: workspace.id) != nil
        else { throw APIError.notFound("no delivery \(id)") }
        return delivery
    }
}
