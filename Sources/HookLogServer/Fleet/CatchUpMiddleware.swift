import HookLogStore
import Hummingbird

/// On a fleet's node (docs/postgres.md), holds each request to the API and the dashboard until the node has folded
/// every record any node committed before it arrived (``EventLog/catchUp()``): a key issued or revoked, a webhook
/// disabled or an event received through another node holds here at once. The operations routes, which report on
/// this node itself, go straight on.
struct CatchUpMiddleware: RouterMiddleware {
    let store: any EventLog

    /// The paths that report on the node, not on the log.
    private static let operations: Set<String> = ["/healthz", "/metrics", "/openapi.yaml"]

    func handle(
        _ request: Request, context: HookLogRequestContext,
        next: (Request, HookLogRequestContext) async throws -> Response
    ) async throws -> Response {
        if !Self.operations.contains(request.uri.path) { try await store.catchUp() }
        return try await next(request, context)
    }
}
