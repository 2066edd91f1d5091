/// Waits, in real time, until `condition` holds: for asynchronous work (an engine reacting to a commit) to settle.
/// Time rules are never waited for this way; tests advance a ``ManualClock`` for those. The default timeout is
/// generous: on two cores, CPU-heavy suites running beside a test can hold its engine back for seconds, and the
/// timeout only decides how long a failing test takes to say so.
public func eventually(
    _ description: String, timeout: Duration = .seconds(60), _ condition: () async throws -> Bool
) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while try await !condition() {
        guard clock.now < deadline else { throw EventuallyTimedOut(description: description) }
        try await Task.sleep(for: .milliseconds(5))
    }
}

/// ``eventually(_:timeout:_:)`` gave up.
public struct EventuallyTimedOut: Error, CustomStringConvertible {
    /// What was waited for.
    public let description: String
}
