import Foundation
public import HookLogCore

/// The real time, as a `Clock` whose instants are ``Timestamp``s: what the service runs on. Tests use a clock they
/// advance by hand instead, so that the 5 s, 30/60/90 s and 30-minute rules run without waiting.
public struct WallClock: Clock, Sendable {
    /// The wall clock.
    public init() {}

    public var now: Timestamp {
        Timestamp(milliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }

    public var minimumResolution: Duration { .milliseconds(1) }

    public func sleep(until deadline: Timestamp, tolerance: Duration? = nil) async throws {
        let remaining = now.duration(to: deadline)
        if remaining > .zero {
            try await ContinuousClock().sleep(for: remaining, tolerance: tolerance)
        }
    }
}
