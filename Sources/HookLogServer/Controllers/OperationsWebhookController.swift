import HookLogCore
import HookLogStore
import Hummingbird

/// A workspace's operations webhook (docs/rules.md §2.8): set it (`PUT`), read it (`GET`) and remove it (`DELETE`)
/// at `/v1/operations-webhook`.
struct OperationsWebhookController<C: Clock<Duration>>: Sendable where C.Instant == Timestamp {
    let actions: WebhookActions<C>
    var log: LogService<C> { actions.log }

    /// Adds the routes to `group`, which is at `/v1/operations-webhook` and admits workspaces whose plan has webhooks.
    func addRoutes(to group: RouterGroup<HookLogRequestContext>) {
        group.put(use: set)
        group.get(use: read)
        group.delete(use: remove)
    }

    /// Sets the URL after the webhooks' checks; the first gets a new secret, a later one keeps it.
    @Sendable func set(_ request: Request, context: HookLogRequestContext) async throws -> OperationsWebhookJSON {
        let workspace = try context.workspace
        let body = try await request.decode(as: OperationsWebhookBody.self, context: context)
        try await actions.checkEndpointURL(body.url)
        _ = try await log.execute(.setOperationsWebhook(workspace.id, url: body.url))
        return OperationsWebhookJSON(webhook: try operationsWebhook(of: workspace))
    }

    @Sendable func read(_ request: Request, context: HookLogRequestContext) async throws -> OperationsWebhookJSON {
        OperationsWebhookJSON(webhook: try operationsWebhook(of: try context.workspace))
    }

    /// Removes it, discarding the messages it was not sent.
    @Sendable func remove(_ request: Request, context: HookLogRequestContext) async throws -> Response {
        let workspace = try context.workspace
        _ = try operationsWebhook(of: workspace)
        _ = try await log.execute(.removeOperationsWebhook(workspace.id))
        return Response(status: .noContent)
    }

    /// The body of `PUT /v1/operations-webhook`.
    private struct OperationsWebhookBody: Decodable {
        let url: String
    }

    /// The workspace's operations webhook as readers see it; 404 when it has none.
    private func operationsWebhook(of workspace: Workspace) throws(APIError) -> OperationsWebhook {
        guard let webhook = log.store.withState({ $0.operationsWebhooks[workspace.id] }) else {
            throw APIError(.notFound, "not_found", "workspace \(workspace.id) has no operations webhook; PUT one first")
        }
        return webhook
    }
}
