import Prometheus
import Synchronization

/// What the limits on keys and sign-in show operators: failed authentications, addresses refused for them, live API
/// keys and dashboard sessions. The counts are read, at each scrape, from the throttle and the sessions the router
/// made (``observe(throttle:sessions:)``).
final class AccessMetrics: Sendable {
    private let failures: Counter
    private let throttledAddresses: Gauge
    private let apiKeys: Gauge
    private let sessions: Gauge
    private let sources = Mutex<(throttle: AuthenticationThrottle, sessions: DashboardSessions)?>(nil)

    /// The counter and gauges, registered in `registry`.
    init(registry: PrometheusCollectorRegistry) {
        failures = registry.makeCounter(descriptor: Self.name(
            "auth_failures", "total", "Requests and sign-ins with an unknown or revoked key."))
        throttledAddresses = registry.makeGauge(descriptor: Self.name(
            "auth_throttled", "addresses", "Client addresses refused (429) for failing to authenticate too often (--auth-failure-limit)."))
        apiKeys = registry.makeGauge(descriptor: Self.name("api", "keys", "Live workspace API keys."))
        sessions = registry.makeGauge(descriptor: Self.name(
            "dashboard", "sessions", "Dashboard sessions kept (--max-dashboard-sessions)."))
    }

    /// Reads the throttle's and the sessions' counts at each scrape from now on.
    func observe(throttle: AuthenticationThrottle, sessions: DashboardSessions) {
        self.sources.withLock { $0 = (throttle, sessions) }
    }

    /// Counts one failed authentication.
    func countFailure() {
        failures.increment()
    }

    /// Sets the gauges before a scrape, with `apiKeys` live keys.
    func refresh(apiKeys: Int) {
        self.apiKeys.set(Double(apiKeys))
        guard let sources = sources.withLock({ $0 }) else { return }
        throttledAddresses.set(Double(sources.throttle.blockedAddresses))
        sessions.set(Double(sources.sessions.count))
    }

    private static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "hooklog", metricName: metric, unitName: unit, helpText: help)
    }
}
