/// How fast a compaction pass hands its chunks to the log's writer: evenly over a stretch of time, rather than all
/// at once. Each chunk rides in a group commit and makes it longer; handed over back to back, a pass's chunks rode in
/// every commit for a while and the append-to-2xx latency rose for all that while (docs/operations.md, retention).
///
/// The pass is spread over `spread` at most, so that it still ends within the time its compactor gives it, and never
/// goes slower than ``minimumRate``, so that a small pass is not drawn out for nothing.
struct RemovalPace: Sendable {
    /// The slowest pace, in records a second: at about 10 µs of writer time per record removed, a tenth of the
    /// writer's time at most.
    static let minimumRate = 10_000.0

    private let started: ContinuousClock.Instant
    private let expected: Double
    private let seconds: Double

    /// A pace for removing about `expected` records, started now, spread over `spread` at most.
    init(expected: UInt64, spread: Duration) {
        started = .now
        self.expected = Double(max(expected, 1))
        seconds = min(spread / .seconds(1), self.expected / Self.minimumRate)
    }

    /// When the records after the first `removed` may be handed over.
    func due(afterRemoving removed: Int) -> ContinuousClock.Instant {
        started.advanced(by: .seconds(seconds * min(1, Double(removed) / expected)))
    }
}
