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

    /// The platform's defaults: retries after 30, 60 and 90 s, a 5 s timeout, more than 30 errors in 30 minutes.
    public static let standard = DeliveryPolicy(
        retryDelays: [.seconds(30), .seconds(60), .seconds(90)],
        attemptTimeout: .seconds(5),
        errorLimit: 30,
        errorWindow: .seconds(1800)
    )

    /// A policy with the given numbers.
    public init(retryDelays: [Duration], attemptTimeout: Duration, errorLimit: Int, errorWindow: Duration) {
        self.retryDelays = retryDelays
        self.attemptTimeout = attemptTimeout
        self.errorLimit = errorLimit
        self.errorWindow = errorWindow
    }

    /// The number of attempts a delivery gets before it is dropped: the first and one per retry delay.
    public var maxAttempts: Int { retryDelays.count + 1 }
}
