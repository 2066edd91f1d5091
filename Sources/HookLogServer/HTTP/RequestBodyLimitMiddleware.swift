import HTTPTypes
import Hummingbird

/// Gives each request its route's body limit (``RequestBodyLimits``): a body declared larger by its
/// `Content-Length` is refused with 413 at once, and ``RequestBodyReader`` stops reading any other at the limit.
struct RequestBodyLimitMiddleware: RouterMiddleware {
    typealias Context = HookLogRequestContext

    let limits: RequestBodyLimits

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.bodyLimit = limits.limit(method: request.method, route: context.endpointPath)
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > context.bodyLimit.bytes {
            throw context.bodyLimit.refusal
        }
        return try await next(request, context)
    }
}
