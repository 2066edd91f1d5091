import Hummingbird
import Logging

/// Logs one line per request once it is answered: method, path, status and how long the handler took, with the
/// request id Hummingbird gives the context's logger. Streams are logged when their headers go out.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The level of the lines.
    let level: Logger.Level

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        context.logger.log(
            level: level, "\(request.method.rawValue) \(request.uri.path) \(response.status.code)",
            metadata: ["route": "\(context.endpointPath ?? "-")", "duration_ms": "\(elapsed.milliseconds)"])
        return response
    }
}

extension Duration {
    /// The duration in whole milliseconds.
    var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
