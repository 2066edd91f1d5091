import HTTPTypes
import HookLogCore
import Synchronization

/// The limit on test sends (docs/rules.md §2.2): one `POST /v1/webhooks/{id}/test` per webhook per interval
/// (`--test-interval`, 1 s), counted on the server's clock from each test send it let through. A test is asked by a
/// person or a script, not by the delivery rules, so a loop of them is refused rather than queued.
final class TestSendRate: Sendable {
    /// The least time between two test sends to one webhook.
    let interval: Duration
    private let state = Mutex(State())

    private struct State {
        /// When each webhook's last test send was let through; entries older than the interval are pruned when the
        /// table has doubled since the last pruning.
        var lastSent: [WebhookID: Timestamp] = [:]
        var pruneAt = 1_024
        var refused = 0
    }

    /// A limit of one test send per webhook every `interval`.
    init(interval: Duration) {
        self.interval = interval
    }

    /// Lets a test send to `webhook` through at `now`, or refuses it with 429 `rate_limited`, naming the limit and
    /// saying in `Retry-After` when the webhook may be tested again.
    func admit(_ webhook: WebhookID, at now: Timestamp) throws(APIError) {
        let nextAllowed: Timestamp? = state.withLock { state in
            if let last = state.lastSent[webhook], now < last.adding(interval) {
                state.refused += 1
                return last.adding(interval)
            }
            state.lastSent[webhook] = now
            if state.lastSent.count >= state.pruneAt {
                state.lastSent = state.lastSent.filter { now < $0.value.adding(interval) }
                state.pruneAt = max(1_024, state.lastSent.count * 2)
            }
            return nil
        }
        guard let nextAllowed else { return }
        let seconds = interval.components.seconds
        let retryAfter = max(1, (nextAllowed.since(now).wholeMilliseconds + 999) / 1000)
        var error = APIError(
            .tooManyRequests, "rate_limited",
            "webhook \(webhook) had a test send less than \(seconds) s ago: test sends are limited to one every "
                + "\(seconds) s per webhook (--test-interval \(seconds)); retry after the time in Retry-After")
        error.headers[.retryAfter] = String(retryAfter)
        throw error
    }

    /// Test sends refused since the server started.
    var refusedCount: Int { state.withLock(\.refused) }
}
