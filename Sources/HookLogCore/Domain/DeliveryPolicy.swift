/// The tunable numbers of the delivery rules (docs/rules.md §2); the defaults are the platform's published behaviour.
public struct DeliveryPolicy: Hashable, Codable, Sendable {
    /// Delays before each retry, measured from the failure before it: 30 s, 60 s, 90 s.
    public var retryDelays: [Duration]
    /// How long an endpoint has to answer with a 2xx, connect included: 5 s.
    public var attemptTimeout: Duration
    /// Failed attempts a workspace may have in the window; the next one disables its webhook: 30.
    public var errorLimit: Int
    /// The trailing window the error limit counts over: 30 minutes.
    public var errorWindow: Duration
    /// The failures in the window at which the workspace's owner is warned, once per crossing, before the budget
    /// runs out: 20. Nil, or a number not between 1 and ``errorLimit`` - 1, warns no one (``warningThreshold``).
    public var warnAt: Int?

    /// The platform's defaults: retries after 30, 60 and 90 s, a 5 s timeout, more than 30 errors in 30 minutes,
    /// a warning at 20.
    public static let standard = DeliveryPolicy(
        retryDelays: [.seconds(30), .seconds(60), .seconds(90)],
        attemptTimeout: .seconds(5),
        errorLimit: 30,
        errorWindow: .seconds(1800),
        warnAt: 20
    )

    /// A policy with the given numbers; without `warnAt`, no early warning.
    public init(retryDelays: [Duration], attemptTimeout: Duration, errorLimit: Int, errorWindow: Duration, warnAt: Int? = nil) {
        self.retryDelays = retryDelays
        self.attemptTimeout = attemptTimeout
        self.errorLimit = errorLimit
        self.errorWindow = errorWindow
        self.warnAt = warnAt
    }

    /// The number of attempts a delivery gets before it is dropped: the first and one per retry delay.
    public var maxAttempts: Int { retryDelays.count + 1 }

    /// The warning threshold in force: ``warnAt`` when it comes before the limit (1 to ``errorLimit`` - 1), else nil,
    /// since a warning at or beyond the limit could never come before the disable.
    public var warningThreshold: Int? {
        warnAt.flatMap { $0 >= 1 && $0 < errorLimit ? $0 : nil }
    }

    /// The default warning threshold for `errorLimit`: two thirds of it, rounded down (20 of 30); nil for a limit of
    /// 1, below which no threshold fits.
    public static func defaultWarnAt(errorLimit: Int) -> Int? {
        let warnAt = errorLimit * 2 / 3
        return warnAt >= 1 ? warnAt : nil
    }
}
