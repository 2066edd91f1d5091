import HookLogCore
import HookLogStore
import Hummingbird

/// The dashboard (docs/rules.md §4, issue #6): HTML pages at `/` over the same state, rules and commands as the JSON
/// API, for a browser signed in with a workspace API key. Its pages sit behind ``DashboardSessionMiddleware``, its
/// forms also behind ``DashboardFormMiddleware``, and those of webhooks behind the same plan rule as the API.
struct DashboardController<C: Clock<Duration>>: Sendable where C.Instant == Timestamp {
    let actions: WebhookActions<C>
    let authenticator: DashboardAuthenticator<C>
    var dashboard: Dashboard { authenticator.dashboard }

    /// Adds the dashboard's routes to `router`.
    func addRoutes(to router: Router<HookLogRequestContext>) {
        let open = router.group()
        open.get("/dashboard/assets/{name}", use: asset)
        open.get("/dashboard/stream", use: stream)
        DashboardSignInController(authenticator: authenticator, clock: actions.log.clock).addRoutes(to: open)

        let pages = router.group().add(middleware: DashboardSessionMiddleware(authenticator: authenticator))
        let forms = pages.group().add(middleware: DashboardFormMiddleware(dashboard: dashboard))
        let webhookPages = pages.group().add(middleware: AccessMiddleware(.webhooks))
        let webhookForms = forms.group().add(middleware: AccessMiddleware(.webhooks))
        forms.post("/sign-out", use: signOut)
        DashboardWebhookController(actions: actions, dashboard: dashboard).addRoutes(pages: webhookPages, forms: webhookForms)
        let log = DashboardLogController(actions: actions, dashboard: dashboard)
        log.addRoutes(pages: pages, webhookPages: webhookPages, webhookForms: webhookForms)
        DashboardAuditController(actions: actions, dashboard: dashboard).addRoutes(to: webhookPages)
    }

    @Sendable func asset(_ request: Request, context: HookLogRequestContext) async throws -> Response {
        guard let asset = dashboard.assets[try context.parameters.require("name")] else {
            throw APIError.notFound("no such file")
        }
        return Response(
            status: .ok, headers: [.contentType: asset.type, .cacheControl: "no-cache"],
            body: ResponseBody(byteBuffer: asset.body))
    }

    /// The record stream the pages listen to: the browser's EventSource cannot send an Authorization header, so it is
    /// authorised by the session cookie and scoped to the session's workspace.
    @Sendable func stream(_ request: Request, context: HookLogRequestContext) async throws -> Response {
        guard let signedIn = try await authenticator.signedIn(request) else { throw APIError.unauthorized }
        let store = actions.log.store
        return RecordStream(store: store, start: store.withState(\.lastSequence), scope: signedIn.workspace.id, follow: true).response
    }

    @Sendable func signOut(_ request: Request, context: HookLogRequestContext) async throws -> Response {
        if let signedIn = context.signedIn { try await dashboard.sessions.close(signedIn.session.token) }
        return Dashboard.redirect(to: "/", cookies: [dashboard.setCookie(Dashboard.sessionCookie, nil)])
    }
}
