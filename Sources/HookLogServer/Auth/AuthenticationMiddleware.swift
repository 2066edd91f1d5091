import Foundation
import Hummingbird

/// Authenticates a request to the API by its `Authorization: Bearer <key>`: sets the context's ``Principal``, or
/// refuses with 401 when the key is missing, unknown or revoked. Handlers behind it receive the principal instead
/// of each reading the header.
struct AuthenticationMiddleware: RouterMiddleware {
    let keys: KeyRing

    func handle(
        _ request: Request, context: HookLogRequestContext,
        next: (Request, HookLogRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization], header.count > 7, header.prefix(7).lowercased() == "bearer ",
            let principal = keys.principal(forKey: header.dropFirst(7).trimmingCharacters(in: .whitespaces))
        else { throw APIError.unauthorized }
        var context = context
        context.principal = principal
        return try await next(request, context)
    }
}
