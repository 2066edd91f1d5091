import Foundation
import Hummingbird

/// Authenticates a request to the API by its `Authorization: Bearer <key>`: sets the context's ``Principal``, or
/// refuses with 401 when the key is missing, unknown or revoked. Handlers behind it receive the principal instead
/// of each reading the header.
///
/// An unknown or revoked key counts as a failure of the request's address (``AuthenticationThrottle``); while the
/// address is refused, a request without a valid key gets 429 instead of 401.
struct AuthenticationMiddleware: RouterMiddleware {
    let keys: KeyRing
    let throttle: AuthenticationThrottle

    func handle(
        _ request: Request, context: HookLogRequestContext,
        next: (Request, HookLogRequestContext) async throws -> Response
    ) async throws -> Response {
        let key = Self.bearerKey(of: request)
        guard let principal = key.flatMap(keys.principal(forKey:)) else {
            let address = throttle.client(of: request, context)
            if let refusal = throttle.refusal(for: address) { throw refusal }
            if key != nil { throttle.recordFailure(from: address) }
            throw APIError.unauthorized
        }
        var context = context
        context.principal = principal
        return try await next(request, context)
    }

    /// The key of `request`'s `Authorization: Bearer` header, if it has one.
    static func bearerKey(of request: Request) -> String? {
        guard let header = request.headers[.authorization], header.count > 7, header.prefix(7).lowercased() == "bearer "
        else { return nil }
        return header.dropFirst(7).trimmingCharacters(in: .whitespaces)
    }
}
