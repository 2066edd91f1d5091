import Hummingbird

/// Accepts a form's POST from a signed-in browser only when it carries the session's CSRF token and, when the
/// browser says where it was posted from, comes from this server; a forged form is a 403 error page. The form's
/// body is collected here, so the handler decodes it again from memory.
struct DashboardFormMiddleware: RouterMiddleware {
    let dashboard: Dashboard

    func handle(
        _ request: Request, context: HookLogRequestContext,
        next: (Request, HookLogRequestContext) async throws -> Response
    ) async throws -> Response {
        var request = request
        let form = try await DashboardForm.decode(CSRFField.self, from: &request)
        guard let signedIn = context.signedIn, DashboardForm.isSameOrigin(request),
            dashboard.sessions.checkCSRF(form.csrf, for: signedIn.session.token)
        else {
            throw APIError(.forbidden, "csrf", "This form has expired or did not come from this dashboard; reload the page and try again.")
        }
        return try await next(request, context)
    }

    /// The field every form of the dashboard carries.
    private struct CSRFField: Decodable {
        let csrf: String?
    }
}
