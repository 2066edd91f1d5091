@testable import HookLogStore
import Testing

/// A compaction pass hands its chunks to the writer evenly over its spread, never slower than the minimum rate.
@Suite("Pacing a compaction's removals")
struct RemovalPaceTests {
    @Test("a large pass is spread evenly over the spread, and what it removes beyond its estimate is not held back")
    func largePassIsSpread() {
        let pace = RemovalPace(expected: 100_000, spread: .seconds(2))
        #expect(pace.due(afterRemoving: 50_000) - pace.due(afterRemoving: 0) == .seconds(1))
        #expect(pace.due(afterRemoving: 100_000) - pace.due(afterRemoving: 0) == .seconds(2))
        #expect(pace.due(afterRemoving: 150_000) == pace.due(afterRemoving: 100_000))
    }

    @Test("a small pass goes at the minimum rate, not drawn out over the whole spread")
    func smallPassKeepsTheMinimumRate() {
        let pace = RemovalPace(expected: 1_000, spread: .seconds(300))
        #expect(pace.due(afterRemoving: 1_000) - pace.due(afterRemoving: 0) == .milliseconds(100))
        let immediate = RemovalPace(expected: 1_000, spread: .zero)
        #expect(immediate.due(afterRemoving: 1_000) == immediate.due(afterRemoving: 0))
    }
}
