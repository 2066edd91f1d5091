import HookLogCore
import Hummingbird

/// Serves the dashboard's pages and forms to signed-in browsers only: one that is not is sent to the sign-in form,
/// and a refusal of the API's rules becomes an error page with the API's status, code and message. It sets the
/// context's principal to the session's workspace, so the same ``AccessMiddleware`` rules apply as on the API.
struct DashboardSessionMiddleware<C: Clock<Duration>>: RouterMiddleware where C.Instant == Timestamp {
    let authenticator: DashboardAuthenticator<C>
    var dashboard: Dashboard { authenticator.dashboard }

    func handle(
        _ request: Request, context: HookLogRequestContext,
        next: (Request, HookLogRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let signedIn = try await authenticator.signedIn(request) else {
            return Dashboard.redirect(to: "/", cookies: [dashboard.setCookie(Dashboard.sessionCookie, nil)])
        }
        var context = context
        context.principal = .workspace(signedIn.workspace)
        context.signedIn = signedIn
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return dashboard.errorPage(error, signedIn)
        }
    }
}
