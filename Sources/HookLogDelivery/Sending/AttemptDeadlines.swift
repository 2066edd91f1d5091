import DequeModule
import Synchronization

/// The deadlines of a sender's attempts under way on one clock, kept by a single task that sleeps until the
/// earliest: an attempt costs an entry here, not a timer of its own. The task starts with the first deadline and
/// ends when none is left; an attempt that is settled (answered) leaves at the next look.
final class AttemptDeadlines<Watched: Clock<Duration>>: Sendable {
    private let clock: Watched
    /// The clock's reading when the list was made: deadlines are kept as durations since, so that the list itself
    /// is not generic (its code then needs no type metadata looked up at run time).
    private let origin: Watched.Instant
    private let state = Mutex(DeadlineList())

    /// Deadlines on `clock`.
    init(clock: Watched) {
        self.clock = clock
        origin = clock.now
    }

    /// Expires `attempt` once `instant` has passed on the clock, unless it is settled by then.
    func add(_ attempt: AttemptUnderWay, at instant: Watched.Instant) {
        let deadline = origin.duration(to: instant)
        state.withLock { state in
            guard !state.isShutDown else { return }
            state.dropSettledFront()
            var index = state.entries.endIndex
            while index > state.entries.startIndex, state.entries[index - 1].deadline > deadline { index -= 1 }
            state.entries.insert(DeadlineList.Entry(deadline: deadline, attempt: attempt), at: index)
            let sleepsPast = state.wakesAt.map { deadline < $0 } ?? false
            guard state.watcher == nil || sleepsPast else { return }
            state.watcher?.cancel()
            state.generation += 1
            state.wakesAt = nil
            let generation = state.generation
            state.watcher = Task { await self.watch(generation) }
        }
    }

    /// Takes no more deadlines, and stops the watcher once no attempt under way needs it: at once when every one is
    /// settled, else when the last one is (an attempt still under way keeps its deadline).
    func shutDown() {
        state.withLock { state in
            state.isShutDown = true
            guard state.entries.allSatisfy(\.attempt.isSettled) else { return }
            state.entries.removeAll()
            state.watcher?.cancel()
            state.watcher = nil
            state.generation += 1
        }
    }

    /// Sleeps until the earliest deadline, expires every entry due, and again, until no entry is left.
    private func watch(_ generation: Int) async {
        while true {
            let next: Duration? = state.withLock { state in
                guard state.generation == generation else { return nil }
                state.dropSettledFront()
                guard let first = state.entries.first else {
                    state.watcher = nil
                    state.wakesAt = nil
                    return nil
                }
                state.wakesAt = first.deadline
                return first.deadline
            }
            guard let next else { return }
            do {
                try await clock.sleep(until: origin.advanced(by: next), tolerance: nil)
            } catch {
                return
            }
            let now = origin.duration(to: clock.now)
            let due: [DeadlineList.Entry] = state.withLock { state in
                guard state.generation == generation else { return [] }
                var due: [DeadlineList.Entry] = []
                while let first = state.entries.first, first.deadline <= now { due.append(state.entries.removeFirst()) }
                return due
            }
            for entry in due { entry.attempt.expire() }
        }
    }
}

/// The deadlines of ``AttemptDeadlines``, as durations since its clock's first reading, and its watcher.
private struct DeadlineList {
    struct Entry {
        let deadline: Duration
        let attempt: AttemptUnderWay
    }

    /// Sorted by deadline; settled entries are dropped from the front as they are met.
    var entries: Deque<Entry> = []
    /// The task waiting for the earliest deadline, and which one it is: a stopped watcher's wake-up is ignored.
    var watcher: Task<Void, Never>?
    var generation = 0
    /// The deadline the watcher sleeps until, once it sleeps.
    var wakesAt: Duration?
    var isShutDown = false

    mutating func dropSettledFront() {
        while let first = entries.first, first.attempt.isSettled { entries.removeFirst() }
    }
}
