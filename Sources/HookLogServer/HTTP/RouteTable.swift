import Hummingbird

/// The API's routes as patterns (`/v1/webhooks/{id}`) with their methods, so that a known path asked with another
/// method is told 405 and which methods it has, rather than 404.
struct RouteTable: Sendable {
    private var routes: [(segments: [Substring], methods: Set<String>)] = []

    /// Notes that `path` answers `method`.
    mutating func add(_ method: HTTPRequest.Method, _ path: String) {
        let segments = path.split(separator: "/")
        if let index = routes.firstIndex(where: { $0.segments == segments }) {
            routes[index].methods.insert(method.rawValue)
        } else {
            routes.append((segments, [method.rawValue]))
        }
    }

    /// The methods of the route `path` matches, or nil if none does.
    func methods(of path: String) -> Set<String>? {
        let segments = path.split(separator: "/")
        return routes.first { route in
            route.segments.count == segments.count
                && zip(route.segments, segments).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }?.methods
    }
}

/// Turns every failure of a request into the API's error shape: `APIError`s as they are, the router's 404 into 404
/// or 405 (with `Allow`), and anything unexpected into a 500 whose details go to the log, not the client.
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The router whose table tells 404 from 405; read when a request fails, after every route is registered.
    let router: APIRouter<Context>

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        } catch let error as HTTPError where error.status == .notFound {
            guard let methods = router.table.methods(of: request.uri.path) else {
                return try APIError.notFound("no route \(request.method.rawValue) \(request.uri.path)")
                    .response(from: request, context: context)
            }
            var refusal = APIError(
                .methodNotAllowed, "method_not_allowed",
                "\(request.uri.path) does not answer \(request.method.rawValue); it answers \(methods.sorted().joined(separator: ", "))")
            refusal.headers[.allow] = methods.sorted().joined(separator: ", ")
            return try refusal.response(from: request, context: context)
        } catch let error as HTTPError {
            return try APIError(error.status, Self.code(of: error.status), error.body ?? error.status.reasonPhrase)
                .response(from: request, context: context)
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            return try APIError(.internalServerError, "internal", "the server failed to answer; see its log")
                .response(from: request, context: context)
        }
    }
}

extension APIErrorMiddleware {
    /// The API's error code for a status Hummingbird refused a request with.
    static func code(of status: HTTPResponse.Status) -> String {
        switch status {
        case .badRequest: "invalid_field"
        case .unauthorized: "unauthorized"
        case .forbidden: "forbidden"
        case .contentTooLarge: "payload_too_large"
        case .unsupportedMediaType: "unsupported_media_type"
        case .tooManyRequests: "rate_limited"
        case .serviceUnavailable: "unavailable"
        default: "internal"
        }
    }
}

/// A router that keeps the ``RouteTable`` of what it registers.
final class APIRouter<Context: RequestContext>: @unchecked Sendable {
    /// The Hummingbird router the routes go to.
    let router = Router(context: Context.self)
    /// Every route registered so far.
    private(set) var table = RouteTable()

    /// Registers `handler` for `method` on `path`.
    func on(
        _ method: HTTPRequest.Method, _ path: String,
        _ handler: @Sendable @escaping (Request, Context) async throws -> Response
    ) {
        table.add(method, path)
        router.on(RouterPath(path), method: method, use: handler)
    }
}
