import HookLogCore
import HookLogStore
import Hummingbird
import Logging

/// Every route of the server on one router: the operations routes; the API's resources, each a controller on a
/// group behind ``AuthenticationMiddleware`` and its ``AccessMiddleware`` rule; and the dashboard. Every request is
/// logged and counted by route; failures become the API's errors, and a known path asked with another method is 405.
/// On a fleet's node, requests first wait for the fleet's latest records (``CatchUpMiddleware``), and a workspace's
/// writes go to the node that delivers it (``ForwardingMiddleware``).
enum HookLogRoutes {
    /// The router over `log`, with `metrics` exposed and `dashboard`'s pages.
    static func router<C: Clock<Duration>>(
        log: LogService<C>, metrics: ServerMetrics, dashboard: Dashboard
    ) throws -> Router<HookLogRequestContext> where C.Instant == Timestamp {
        let router = Router(context: HookLogRequestContext.self)
        router.add(middleware: RequestLogMiddleware(level: .info))
        router.add(middleware: RouteMetricsMiddleware(metrics: metrics))
        router.add(middleware: APIErrorMiddleware())
        router.add(middleware: RequestBodyLimitMiddleware(limits: log.configuration.bodyLimits))
        if log.store.fleet != nil { router.add(middleware: CatchUpMiddleware(store: log.store)) }
        let keys = KeyRing(store: log.store, adminKeyHash: log.configuration.adminKeyHash)
        let throttle = AuthenticationThrottle(
            failureLimit: log.configuration.authFailureLimit, proxies: log.configuration.trustedProxies,
            metrics: metrics.access, now: { log.clock.now })
        metrics.access.observe(throttle: throttle, sessions: dashboard.sessions)
        let actions = WebhookActions(log: log)
        OperationsController(
            store: log.store, disk: log.disk, maxWriteBacklog: log.configuration.maxWriteBacklog, metrics: metrics,
            specification: try OpenAPISpecification.load())
            .addRoutes(to: router.group())

        let api = router.group("/v1").add(middleware: AuthenticationMiddleware(keys: keys, throttle: throttle))
        if log.store.fleet != nil { api.add(middleware: ForwardingMiddleware(store: log.store)) }
        let workspaces = api.group("workspaces").add(middleware: AccessMiddleware(.admin))
        WorkspaceController(log: log).addRoutes(to: workspaces)
        KeyController(log: log).addAdminRoutes(to: workspaces)
        KeyController(log: log).addWorkspaceRoutes(to: api.group("keys").add(middleware: AccessMiddleware(.workspace)))
        EventController(log: log).addRoutes(to: api.group("events").add(middleware: AccessMiddleware(.workspace)))
        DeliveryController(actions: actions).addRoutes(to: api.group("deliveries").add(middleware: AccessMiddleware(.workspace)))
        let webhooks = api.group("webhooks").add(middleware: AccessMiddleware(.webhooks))
        WebhookController(actions: actions).addRoutes(to: webhooks)
        WebhookLogController(actions: actions).addRoutes(to: webhooks)
        OperationsWebhookController(actions: actions)
            .addRoutes(to: api.group("operations-webhook").add(middleware: AccessMiddleware(.webhooks)))
        LogController(log: log).addRoutes(to: api.group("log"))

        DashboardController(
            actions: actions,
            authenticator: DashboardAuthenticator(dashboard: dashboard, keys: keys, throttle: throttle, clock: log.clock))
            .addRoutes(to: router)
        router.add(middleware: MethodNotAllowedMiddleware(routes: router.routes))
        return router
    }
}
