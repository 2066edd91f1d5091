import Crypto
import HookLogCore
import HTTPTypes
import Hummingbird

extension HookLogAPI {
    /// The dashboard (docs/rules.md §4, issue #6): HTML pages at `/` over the same state, rules and commands as the JSON
    /// API, for a browser signed in with a workspace API key.
    func addDashboardRoutes(to router: APIRouter<BasicRequestContext>, dashboard: Dashboard) {
        addDashboardSignInRoutes(to: router, dashboard: dashboard)
        addDashboardWebhookRoutes(to: router, dashboard: dashboard)
        addDashboardLogRoutes(to: router, dashboard: dashboard)
        addDashboardAuditRoutes(to: router, dashboard: dashboard)
        router.on(.get, "/dashboard/assets/{name}") { _, context in
            guard let asset = dashboard.assets[try context.parameters.require("name")] else {
                throw APIError.notFound("no such file")
            }
            return Response(
                status: .ok, headers: [.contentType: asset.type, .cacheControl: "no-cache"],
                body: ResponseBody(byteBuffer: asset.body))
        }
        router.on(.get, "/dashboard/stream") { request, _ in
            // The browser's EventSource cannot send an Authorization header, so the stream the pages listen to is
            // this one, authorised by the session cookie and scoped to the session's workspace.
            guard let signedIn = try? self.signedIn(request, dashboard) else { throw APIError.unauthorized }
            let start = self.store.withState(\.lastSequence)
            return Response(
                status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
                body: ResponseBody { writer in
                    try await self.stream(after: start, scope: signedIn.workspace.id, to: &writer)
                    try await writer.finish(nil)
                })
        }
    }

    /// `GET /`, `POST /sign-in` and `POST /sign-out`.
    private func addDashboardSignInRoutes(to router: APIRouter<BasicRequestContext>, dashboard: Dashboard) {
        router.on(.get, "/") { request, _ in
            if (try? self.signedIn(request, dashboard)) != nil { return Dashboard.redirect(to: "/webhooks") }
            return self.signInPage(request, dashboard: dashboard, status: .ok, error: nil)
        }
        router.on(.post, "/sign-in") { request, _ in
            let form = try await DashboardForm.of(request)
            guard let browser = Dashboard.cookie(Dashboard.signInCookie, in: request), Self.isSameOrigin(request),
                dashboard.sessions.checkCSRF(form["csrf"], for: "sign-in:" + browser)
            else {
                return self.signInPage(
                    request, dashboard: dashboard, status: .forbidden,
                    error: "This sign-in form has expired or did not come from this dashboard; try again.")
            }
            let key = (form["key"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !key.isEmpty else {
                return self.signInPage(request, dashboard: dashboard, status: .badRequest, error: "Enter a workspace API key (hk_…).")
            }
            let hash = Array(SHA256.hash(data: Array(key.utf8)))
            guard hash != Array(SHA256.hash(data: Array(self.configuration.adminKey.utf8))) else {
                return self.signInPage(
                    request, dashboard: dashboard, status: .forbidden,
                    error: "That is the admin key; the dashboard shows one workspace, so sign in with one of its keys (hk_…).")
            }
            guard let apiKey = self.store.withState({ $0.apiKeys.values.first { $0.keyHash == hash } }) else {
                return self.signInPage(
                    request, dashboard: dashboard, status: .unauthorized,
                    error: "That key is not a key of any workspace, or it has been revoked.")
            }
            let session = dashboard.sessions.open(workspaceID: apiKey.workspaceID, keyHash: hash, at: self.clock.now)
            return Dashboard.redirect(to: "/webhooks", cookies: [
                dashboard.setCookie(Dashboard.sessionCookie, session.token), dashboard.setCookie(Dashboard.signInCookie, nil),
            ])
        }
        router.on(.get, "/sign-in") { _, _ in
            // A reload of a refused sign-in lands here: show the form again.
            Dashboard.redirect(to: "/")
        }
        router.on(.post, "/sign-out") { request, _ in
            try await self.dashboardForm(request, dashboard) { signedIn, _ in
                dashboard.sessions.close(signedIn.session.token)
                return Dashboard.redirect(to: "/", cookies: [dashboard.setCookie(Dashboard.sessionCookie, nil)])
            }
        }
    }

    /// The sign-in form, with a CSRF token tied to a cookie of this browser (set here when it has none).
    private func signInPage(_ request: Request, dashboard: Dashboard, status: HTTPResponse.Status, error: String?) -> Response {
        let existing = Dashboard.cookie(Dashboard.signInCookie, in: request)
        let browser = existing ?? DashboardSessions.randomToken()
        var response = dashboard.page("sign-in", status: status, title: "Sign in", signedIn: nil, [
            "signInCSRF": dashboard.sessions.csrfToken(for: "sign-in:" + browser), "error": error as Any,
        ])
        if existing == nil {
            response.headers.append(HTTPField(name: .setCookie, value: dashboard.setCookie(Dashboard.signInCookie, browser, maxAge: .seconds(3600))))
        }
        return response
    }

    /// The signed-in browser `request` comes from; ``DashboardRefusal/signedOut`` when its session is missing, has
    /// expired, or was opened with a key that has since been revoked.
    func signedIn(_ request: Request, _ dashboard: Dashboard) throws -> SignedIn {
        guard let token = Dashboard.cookie(Dashboard.sessionCookie, in: request),
            let session = dashboard.sessions.session(token, at: clock.now)
        else { throw DashboardRefusal.signedOut }
        let workspace = store.withState { state -> Workspace? in
            guard state.apiKeys.values.contains(where: { $0.keyHash == session.keyHash && $0.workspaceID == session.workspaceID })
            else { return nil }
            return state.workspaces[session.workspaceID]
        }
        guard let workspace else {
            dashboard.sessions.close(token)
            throw DashboardRefusal.signedOut
        }
        return SignedIn(session: session, workspace: workspace, csrf: dashboard.sessions.csrfToken(for: token))
    }

    /// Serves a page to a signed-in browser: a browser that is not is sent to the sign-in form, and a refusal of the
    /// API's rules becomes an error page with the API's status, code and message.
    func dashboardPage(
        _ request: Request, _ dashboard: Dashboard, _ body: (SignedIn) async throws -> Response
    ) async throws -> Response {
        var signedIn: SignedIn?
        do {
            signedIn = try self.signedIn(request, dashboard)
            return try await body(signedIn!)
        } catch DashboardRefusal.signedOut {
            return Dashboard.redirect(to: "/", cookies: [dashboard.setCookie(Dashboard.sessionCookie, nil)])
        } catch DashboardRefusal.forgedForm {
            return errorPage(
                APIError(.forbidden, "csrf", "This form has expired or did not come from this dashboard; reload the page and try again."),
                dashboard, signedIn)
        } catch let error as APIError {
            return errorPage(error, dashboard, signedIn)
        }
    }

    /// Serves a form's POST from a signed-in browser: the form must carry the session's CSRF token and, when the
    /// browser says where it was posted from, come from this server.
    func dashboardForm(
        _ request: Request, _ dashboard: Dashboard, _ body: (SignedIn, DashboardForm) async throws -> Response
    ) async throws -> Response {
        try await dashboardPage(request, dashboard) { signedIn in
            let form = try await DashboardForm.of(request)
            guard Self.isSameOrigin(request), dashboard.sessions.checkCSRF(form["csrf"], for: signedIn.session.token) else {
                throw DashboardRefusal.forgedForm
            }
            return try await body(signedIn, form)
        }
    }

    /// The error page for a refused request.
    func errorPage(_ error: APIError, _ dashboard: Dashboard, _ signedIn: SignedIn?) -> Response {
        dashboard.page("error", status: error.status, title: "\(error.status.code) \(error.status.reasonPhrase)", signedIn: signedIn, [
            "status": error.status.code, "code": error.code, "message": error.message,
        ])
    }

    /// The workspace of a signed-in browser when its plan allows webhooks (403 `plan_required` otherwise).
    func webhookWorkspace(of signedIn: SignedIn) throws(APIError) -> Workspace {
        guard signedIn.workspace.plan.allowsWebhooks else {
            throw APIError(
                .forbidden, "plan_required",
                "webhooks need the advanced plan or higher; this workspace is on \(signedIn.workspace.plan.rawValue)")
        }
        return signedIn.workspace
    }

    /// Whether a POST came from a page of this server, when the browser says (`Origin`); a browser that sends no
    /// `Origin` is judged by its CSRF token alone.
    static func isSameOrigin(_ request: Request) -> Bool {
        guard let origin = request.headers[.origin] else { return true }
        guard let host = request.head.authority else { return false }
        return origin == "http://\(host)" || origin == "https://\(host)"
    }
}
