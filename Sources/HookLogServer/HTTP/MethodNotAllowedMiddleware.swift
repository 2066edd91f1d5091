import Hummingbird

/// Answers a known path asked with a method it does not have with 405 and the methods it has (`Allow`), rather than
/// 404. It is added to the router after every route, so that it runs only where no route matched, and it knows the
/// routes from the router itself.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    private let routes: [(path: RouterPath, methods: [String])]

    /// A middleware that knows `routes`, as ``Hummingbird/Router/routes`` lists them.
    init(routes: [Router<Context>.RouteDescription]) {
        var methods: [String: (path: RouterPath, methods: [String])] = [:]
        for route in routes {
            methods[route.path.description, default: (route.path, [])].methods.append(route.method.rawValue)
        }
        self.routes = methods.values.map { ($0.path, $0.methods.sorted()) }
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let segments = request.uri.path.split(separator: "/")
        guard let route = routes.first(where: { route in
            route.path.count == segments.count && zip(route.path, segments).allSatisfy { $0 ~= $1 }
        }) else {
            return try await next(request, context)
        }
        let allowed = route.methods.joined(separator: ", ")
        var refusal = APIError(
            .methodNotAllowed, "method_not_allowed",
            "\(request.uri.path) does not answer \(request.method.rawValue); it answers \(allowed)")
        refusal.headers[.allow] = allowed
        throw refusal
    }
}
