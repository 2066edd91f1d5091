import Prometheus

/// What the limits for many tenants show operators: each limit's configured value
/// (`hooklog_limit{limit=…}`) and the requests it refused (`hooklog_limit_refusals_total{limit=…}`).
final class LimitMetrics: Sendable {
    /// A limit that refuses requests.
    enum Limit: String, CaseIterable {
        /// `--max-webhooks-per-workspace`: `POST /v1/webhooks` is 409 `limit_reached`.
        case webhooksPerWorkspace = "webhooks_per_workspace"
        /// `--ingest-rate`: `POST /v1/events` is 429 `rate_limited`.
        case ingestRate = "ingest_rate"
    }

    private let registry: PrometheusCollectorRegistry

    /// The metrics, registered in `registry`; each refusal counter starts at 0.
    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        for limit in Limit.allCases { _ = refusals(limit) }
    }

    /// Shows the configured values: the webhooks a workspace may have, the events a second it may send and at once,
    /// and the deliveries one commit brings.
    func show(maxWebhooksPerWorkspace: Int, ingestRate: Int, ingestBurst: Int, deliveriesPerCommit: Int) {
        for (limit, value) in [
            ("webhooks_per_workspace", maxWebhooksPerWorkspace), ("ingest_rate", ingestRate), ("ingest_burst", ingestBurst),
            ("deliveries_per_commit", deliveriesPerCommit),
        ] {
            registry.makeGauge(
                descriptor: MetricNameDescriptor(
                    namespace: "hooklog", metricName: "limit", unitName: "",
                    helpText: "The configured value of each limit for many tenants."),
                labels: [("limit", limit)]
            ).set(Double(value))
        }
    }

    /// Counts one request `limit` refused.
    func refused(_ limit: Limit) {
        refusals(limit).increment()
    }

    private func refusals(_ limit: Limit) -> Counter {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "hooklog", metricName: "limit_refusals", unitName: "total",
                helpText: "Requests refused by a limit for many tenants (409 limit_reached, 429 rate_limited)."),
            labels: [("limit", limit.rawValue)])
    }
}
