import HookLogCore
import HTTPTypes
import Hummingbird
import Synchronization

/// Slows down guessing keys: once an address has failed to authenticate ``failureLimit`` times within a minute, its
/// requests that do not carry a valid key are refused with 429 `rate_limited` for a minute, without counting them
/// further; requests with a valid key still pass. Failures are bearer keys the API does not know and sign-ins to the
/// dashboard with such keys; a request without any key is refused (401), but is no guess and is not counted.
///
/// The table of addresses is bounded (``maxAddresses``): when it is full, addresses whose minute has passed are
/// forgotten (at most once a second, so that a full table costs no scan per request), and if none has, a new address
/// is not tracked until room is made (an attacker with that many addresses is already spread thinner than the limit).
final class AuthenticationThrottle: Sendable {
    /// How long failures are counted over, and how long an address is then refused.
    static let window: Duration = .seconds(60)
    /// How many addresses are tracked at most.
    static let maxAddresses = 10_000

    /// One address's failures in its current window, and until when it is refused.
    private struct Failures {
        var windowStart: Timestamp
        var count: Int
        var blockedUntil: Timestamp?
    }

    /// Failures allowed in a minute from one address before it is refused; 0 turns throttling off.
    let failureLimit: Int
    let proxies: TrustedProxies
    private let currentTime: @Sendable () -> Timestamp
    private let metrics: AccessMetrics?
    /// The addresses tracked, and when the table was last rid of those whose minute had passed.
    private struct Table {
        var addresses: [NetworkAddress: Failures] = [:]
        var prunedAt: Timestamp?
    }

    private let table = Mutex(Table())

    /// A throttle allowing `failureLimit` failures a minute from one address (as `proxies` tell it), on the clock
    /// `now`, counting failures in `metrics`.
    init(
        failureLimit: Int, proxies: TrustedProxies, metrics: AccessMetrics? = nil, now: @escaping @Sendable () -> Timestamp
    ) {
        self.failureLimit = failureLimit
        self.proxies = proxies
        self.metrics = metrics
        currentTime = now
    }

    /// How many addresses are refused now.
    var blockedAddresses: Int {
        let now = currentTime()
        return table.withLock { table in table.addresses.values.count { ($0.blockedUntil ?? now) > now } }
    }

    /// The refusal for a request from `address` without a valid key while the address is refused: 429 with
    /// `Retry-After`, the seconds left; nil when it is not refused (or unknown).
    func refusal(for address: NetworkAddress?) -> APIError? {
        guard failureLimit > 0, let address else { return nil }
        let now = currentTime()
        guard let until = table.withLock({ $0.addresses[address]?.blockedUntil }), until > now else { return nil }
        let seconds = max(1, (now.duration(to: until) + .milliseconds(999)).components.seconds)
        var error = APIError(
            .tooManyRequests, "rate_limited",
            "too many failed authentications from this address (the limit is \(failureLimit) a minute, "
                + "--auth-failure-limit); requests without a valid key are refused for \(Self.window.components.seconds) s; "
                + "retry after the time in Retry-After")
        error.headers[.retryAfter] = String(seconds)
        return error
    }

    /// Counts a failed authentication from `address`, refusing the address from the limit on (when it is known).
    func recordFailure(from address: NetworkAddress?) {
        metrics?.countFailure()
        guard failureLimit > 0, let address else { return }
        let now = currentTime()
        table.withLock { table in
            if table.addresses[address] == nil, table.addresses.count >= Self.maxAddresses {
                if table.prunedAt.map({ $0.advanced(by: .seconds(1)) <= now }) ?? true {
                    table.prunedAt = now
                    table.addresses = table.addresses.filter {
                        now < $0.value.windowStart.advanced(by: Self.window) || ($0.value.blockedUntil ?? now) > now
                    }
                }
                guard table.addresses.count < Self.maxAddresses else { return }
            }
            var failures = table.addresses[address] ?? Failures(windowStart: now, count: 0)
            if failures.windowStart.advanced(by: Self.window) <= now {
                failures = Failures(windowStart: now, count: 0, blockedUntil: failures.blockedUntil)
            }
            failures.count += 1
            if failures.count >= failureLimit { failures.blockedUntil = now.advanced(by: Self.window) }
            table.addresses[address] = failures
        }
    }
}

extension AuthenticationThrottle {
    /// The address `request` comes from, as the trusted proxies tell it.
    func client(of request: Request, _ context: HookLogRequestContext) -> NetworkAddress? {
        proxies.client(peer: context.peerAddress, forwardedFor: request.headers[values: .xForwardedFor])
    }
}

extension HTTPField.Name {
    static var xForwardedFor: Self { Self("X-Forwarded-For")! }
}
