/// Keeps rate-limited webhooks to their limits (docs/rules.md §2.2): a webhook with a `rate_limit` of n deliveries
/// a second starts an attempt at least 1/n s (rounded up to the millisecond) after its previous one, so that no
/// second holds more than n; its queue waits meanwhile, in order, and the wait is no failure.
///
/// Kept by the planner alone, for the webhooks that have a limit: the attempts' start times are in the log, but the
/// first attempt after a restart need not wait for one made before it.
struct DeliveryPacing: Sendable {
    /// When each rate-limited webhook's last attempt started, and the least time between two of its attempts.
    private var webhooks: [WebhookID: Paced] = [:]

    private struct Paced: Sendable {
        var interval: Duration
        var lastStart: Timestamp?
    }

    /// Takes `webhook`'s rate limit as it is now: its interval from the limit, or no pacing without one.
    mutating func follow(_ webhookID: WebhookID, limit: Int?) {
        guard let limit else {
            webhooks[webhookID] = nil
            return
        }
        let interval = Duration.milliseconds((1_000 + limit - 1) / limit)
        webhooks[webhookID, default: Paced(interval: interval)].interval = interval
    }

    /// Notes that `webhookID` started an attempt at `now`.
    mutating func started(_ webhookID: WebhookID, at now: Timestamp) {
        webhooks[webhookID]?.lastStart = now
    }

    /// When an attempt of `webhookID` due at `time` may start: `time`, or later if the webhook's limit holds it back.
    func start(of webhookID: WebhookID, dueAt time: Timestamp) -> Timestamp {
        guard let paced = webhooks[webhookID], let lastStart = paced.lastStart else { return time }
        return max(time, lastStart.adding(paced.interval))
    }
}
