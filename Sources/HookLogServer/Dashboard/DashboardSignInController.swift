import Foundation
import HookLogCore
import HTTPTypes
import Hummingbird

/// `GET /`, `POST /sign-in` and `GET /sign-in`: the sign-in form, for a browser without a session.
struct DashboardSignInController<C: Clock<Duration>>: Sendable where C.Instant == Timestamp {
    let authenticator: DashboardAuthenticator<C>
    let clock: C
    var dashboard: Dashboard { authenticator.dashboard }

    /// Adds the routes to `group`, which admits anyone.
    func addRoutes(to group: RouterGroup<HookLogRequestContext>) {
        group.get("/", use: form)
        group.post("/sign-in", use: signIn)
        // A reload of a refused sign-in lands here: show the form again.
        group.get("/sign-in") { _, _ in Dashboard.redirect(to: "/") }
    }

    @Sendable func form(_ request: Request, context: HookLogRequestContext) async throws -> Response {
        if try await authenticator.signedIn(request) != nil { return Dashboard.redirect(to: "/webhooks") }
        return page(request, status: .ok, error: nil)
    }

    @Sendable func signIn(_ request: Request, context: HookLogRequestContext) async throws -> Response {
        var request = request
        let form = try await DashboardForm.decode(SignInForm.self, from: &request)
        guard let browser = request.cookies[Dashboard.signInCookie]?.value, DashboardForm.isSameOrigin(request),
            dashboard.sessions.checkCSRF(form.csrf, for: "sign-in:" + browser)
        else {
            return page(
                request, status: .forbidden, error: "This sign-in form has expired or did not come from this dashboard; try again.")
        }
        let key = (form.key ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !key.isEmpty else { return page(request, status: .badRequest, error: "Enter a workspace API key (hk_…).") }
        switch authenticator.keys.principal(forKey: key) {
        case .admin:
            return page(
                request, status: .forbidden,
                error: "That is the admin key; the dashboard shows one workspace, so sign in with one of its keys (hk_…).")
        case nil:
            let address = authenticator.throttle.client(of: request, context)
            if let refusal = authenticator.throttle.refusal(for: address) {
                var response = page(request, status: .tooManyRequests, error: refusal.message)
                response.headers.append(contentsOf: refusal.headers)
                return response
            }
            authenticator.throttle.recordFailure(from: address)
            return page(request, status: .unauthorized, error: "That key is not a key of any workspace, or it has been revoked.")
        case .workspace(let workspace):
            let session = try await dashboard.sessions.open(workspaceID: workspace.id, keyHash: KeyRing.hash(key), at: clock.now)
            return Dashboard.redirect(to: "/webhooks", cookies: [
                dashboard.setCookie(Dashboard.sessionCookie, session.token), dashboard.setCookie(Dashboard.signInCookie, nil),
            ])
        }
    }

    /// The sign-in form, with a CSRF token tied to a cookie of this browser (set here when it has none).
    private func page(_ request: Request, status: HTTPResponse.Status, error: String?) -> Response {
        let existing = request.cookies[Dashboard.signInCookie]?.value
        let browser = existing ?? DashboardSessions.randomToken()
        var response = dashboard.page("sign-in", status: status, title: "Sign in", signedIn: nil, [
            "signInCSRF": dashboard.sessions.csrfToken(for: "sign-in:" + browser), "error": error as Any,
        ])
        if existing == nil {
            response.headers.append(HTTPField(name: .setCookie, value: dashboard.setCookie(Dashboard.signInCookie, browser, maxAge: .seconds(3600))))
        }
        return response
    }

    /// The sign-in form's fields.
    private struct SignInForm: Decodable {
        let csrf: String?
        let key: String?
    }
}
