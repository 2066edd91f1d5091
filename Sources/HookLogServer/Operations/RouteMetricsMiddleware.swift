import Hummingbird

/// Counts every request by route pattern, method and status, and times it, in ``ServerMetrics``
/// (`hooklog_http_requests_total`, `hooklog_http_request_duration_seconds`). The route is the pattern the router
/// matched (`/v1/webhooks/{id}`), so ids never become labels; a request no route matched counts as `unmatched`.
struct RouteMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let route = context.endpointPath.flatMap { $0 == "NotFound" ? nil : $0 } ?? "unmatched"
        metrics.countRequest(
            method: request.method.rawValue, route: route, status: response.status.code, duration: ContinuousClock.now - start)
        return response
    }
}
