import HookLogCore
import HookLogStore
import HTTPTypes

/// The limits that keep one workspace from taking more than its share of the server (docs/operations.md, "Limits
/// for many tenants"), as the controllers apply them, each refusal counted in ``LimitMetrics``. The third, the
/// deliveries one commit brings, is the log's own (``LogStore/deliveriesPerCommit``).
struct TenantLimits: Sendable {
    /// The most webhooks a workspace may have (`--max-webhooks-per-workspace`); the core refuses the next one.
    let maxWebhooksPerWorkspace: Int
    /// Events a second per workspace (`--ingest-rate`).
    let ingestRate: IngestRateLimiter
    let metrics: LimitMetrics

    /// The limits `configuration` sets, shown in `metrics`.
    init(_ configuration: ServerConfiguration, metrics: LimitMetrics) {
        maxWebhooksPerWorkspace = configuration.maxWebhooksPerWorkspace
        ingestRate = IngestRateLimiter(rate: configuration.ingestRate)
        self.metrics = metrics
        metrics.show(
            maxWebhooksPerWorkspace: maxWebhooksPerWorkspace, ingestRate: ingestRate.rate, ingestBurst: ingestRate.burst,
            deliveriesPerCommit: LogStore.deliveriesPerCommit)
    }

    /// Admits a request of `events` events from `workspace` at `now`, or refuses it with `429 rate_limited` and a
    /// `Retry-After` of the whole seconds until it would be admitted (at least 1).
    func admitIngest(_ events: Int, from workspace: WorkspaceID, at now: Timestamp) throws(APIError) {
        guard let wait = ingestRate.admit(events, for: workspace, at: now) else { return }
        metrics.refused(.ingestRate)
        let seconds = max(1, Int((wait / .seconds(1)).rounded(.up)))
        var error = APIError(
            .tooManyRequests, "rate_limited",
            "workspace \(workspace) may send \(ingestRate.rate) events a second, \(ingestRate.burst) at once "
                + "(--ingest-rate \(ingestRate.rate)); these \(events) events would go over it: retry after \(seconds) s "
                + "(Retry-After)")
        error.headers[.retryAfter] = String(seconds)
        throw error
    }

    /// Counts `error` when it refuses a webhook because its workspace has ``maxWebhooksPerWorkspace``.
    func countRefusal(_ error: APIError) {
        if error.code == DecisionError.Code.limitReached.rawValue { metrics.refused(.webhooksPerWorkspace) }
    }
}
