/// Keeps rate-limited webhooks to their limits (docs/rules.md §2.2): a webhook with a `rate_limit` of n deliveries
/// a second starts its attempts on a schedule of slots exactly 1/n s apart, each on the millisecond its slot falls
/// in, so that no second holds more than n and a limit of 999 gives 999 a second, not the 500 that gaps rounded up
/// to 2 ms would; its queue waits meanwhile, in order, and the wait is no failure.
/// A webhook that falls idle earns no credit: its next attempt's slot is 1/n s after the start of its last.
///
/// Kept by the planner alone, for the webhooks that have a limit: the attempts' start times are in the log, but the
/// first attempt after a restart need not wait for one made before it.
struct DeliveryPacing: Sendable {
    /// Each rate-limited webhook's limit and next slot.
    private var webhooks: [WebhookID: Paced] = [:]

    /// A webhook's schedule, kept exactly: time is counted in units of 1/`limit` ms, so that its slots are 1,000
    /// units apart.
    private struct Paced: Sendable {
        var limit: Int64
        /// The next attempt's slot, in units of 1/`limit` ms since the epoch; nil before the first attempt.
        var nextSlot: Int64?
    }

    /// Takes `webhook`'s rate limit as it is now, its next slot kept in time; no pacing without a limit.
    mutating func follow(_ webhookID: WebhookID, limit: Int?) {
        guard let limit, limit > 0 else {
            webhooks[webhookID] = nil
            return
        }
        let newLimit = Int64(limit)
        guard let paced = webhooks[webhookID] else {
            webhooks[webhookID] = Paced(limit: newLimit)
            return
        }
        guard paced.limit != newLimit else { return }
        webhooks[webhookID] = Paced(
            limit: newLimit,
            nextSlot: paced.nextSlot.map { ($0 * newLimit + paced.limit - 1).floorDivided(by: paced.limit) })
    }

    /// Notes that `webhookID` started an attempt at `now`: the next slot is 1/limit s after this one's, or after
    /// `now` if the attempt started later than its slot.
    mutating func started(_ webhookID: WebhookID, at now: Timestamp) {
        guard let paced = webhooks[webhookID] else { return }
        let start = now.milliseconds * paced.limit
        webhooks[webhookID]?.nextSlot = max(paced.nextSlot ?? start, start) + 1_000
    }

    /// When an attempt of `webhookID` due at `time` may start: `time`, or later if the webhook's limit holds it back.
    /// An attempt starts on the millisecond its slot falls in.
    func start(of webhookID: WebhookID, dueAt time: Timestamp) -> Timestamp {
        guard let paced = webhooks[webhookID], let slot = paced.nextSlot else { return time }
        return max(time, Timestamp(milliseconds: slot.floorDivided(by: paced.limit)))
    }
}
