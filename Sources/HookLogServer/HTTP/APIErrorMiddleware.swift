import HookLogStore
import Hummingbird
import Logging

/// Turns every failure of a request into the API's error shape: `APIError`s as they are, the router's 404 into
/// `not_found`, a log whose storage does not answer into 503 `unavailable`, Hummingbird's other refusals into the code
/// of their status, and anything unexpected into a 500 whose details go to the log, not the client.
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        } catch StoreError.unavailable(let reason) {
            return try APIError(.serviceUnavailable, "unavailable", reason).response(from: request, context: context)
        } catch let error as HTTPError where error.status == .notFound {
            return try APIError.notFound("no route \(request.method.rawValue) \(request.uri.path)")
                .response(from: request, context: context)
        } catch let error as HTTPError {
            return try APIError(error.status, Self.code(of: error.status), error.body ?? error.status.reasonPhrase)
                .response(from: request, context: context)
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            return try APIError(.internalServerError, "internal", "the server failed to answer; see its log")
                .response(from: request, context: context)
        }
    }

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
