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
            let original = try self.delivery(try context.parameters.require("id"), of: workspace)
            let webhook = try self.webhook(original.webhookID.rawValue, of: workspace)
            let records = try await self.execute(.redeliver(
                webhook.id, original: original.deliveryID, eventID: original.eventID, eventType: original.eventType,
                eventSequence: original.eventSequence))
            guard case .redeliveryRequested(let fact) = records.first?.record.fact,
                let delivery = try self.store.reader.delivery(fact.delivery.deliveryID)
            else { throw APIError.unavailable }
            return JSONResponse.make(.accepted, delivery.json)
        }
    }

    /// The delivery `id` if its event belongs to `workspace`; 404 otherwise, whoever's it is.
    func delivery(_ id: String, of workspace: Workspace) throws -> DeliveryRecord {
        guard let delivery = try store.reader.delivery(DeliveryID(id)),
            try store.reader.event(delivery.eventID, in: workspace.id) != nil
        else { throw APIError.notFound("no delivery \(id)") }
        return delivery
    }
}
