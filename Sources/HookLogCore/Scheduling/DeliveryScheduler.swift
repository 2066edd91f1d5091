import DequeModule
import HeapModule

/// Decides which job runs next (docs/rules.md §2.2): "At most one delivery per webhook is in flight; the head blocks
/// the rest of that queue while it is retried. Queues never block each other: a global concurrency cap is shared
/// fairly (round-robin), so a thousand slow endpoints cannot starve a fast one."
///
/// A plain value: the engine tells it when each job is due and when one finishes, and asks for the next one.
/// Due jobs wait in one round-robin line; a job that finishes and is due again goes to the back of it.
public struct DeliveryScheduler: Sendable {
    /// The most jobs in flight at once.
    public let concurrency: Int
    /// Jobs running now.
    public private(set) var inFlight: Set<DeliveryJob> = []
    private var ready: Deque<DeliveryJob> = []
    private var readySet: Set<DeliveryJob> = []
    /// When each waiting job is due; the heap may hold stale entries, skipped when they no longer match.
    private var dueAt: [DeliveryJob: Timestamp] = [:]
    private var waiting = Heap<Due>()

    /// A scheduler running at most `concurrency` jobs at once.
    public init(concurrency: Int) {
        precondition(concurrency > 0, "concurrency must be positive")
        self.concurrency = concurrency
    }

    /// Says when `job` is next due (nil: it has nothing to do). A job in flight is left alone until it finishes.
    public mutating func schedule(_ job: DeliveryJob, at time: Timestamp?, now: Timestamp) {
        guard !inFlight.contains(job) else { return }
        dueAt[job] = nil
        guard let time else {
            if readySet.remove(job) != nil { ready.removeAll { $0 == job } }
            return
        }
        if time <= now {
            if readySet.insert(job).inserted { ready.append(job) }
        } else {
            if readySet.remove(job) != nil { ready.removeAll { $0 == job } }
            dueAt[job] = time
            waiting.insert(Due(time: time, job: job))
        }
    }

    /// Marks `job` finished and says when it is next due.
    public mutating func finish(_ job: DeliveryJob, next time: Timestamp?, now: Timestamp) {
        inFlight.remove(job)
        schedule(job, at: time, now: now)
    }

    /// Moves the jobs whose time has come into the round-robin line, earliest first.
    public mutating func advance(to now: Timestamp) {
        while let earliest = waiting.min, earliest.time <= now {
            _ = waiting.removeMin()
            guard dueAt[earliest.job] == earliest.time else { continue }
            dueAt[earliest.job] = nil
            if readySet.insert(earliest.job).inserted { ready.append(earliest.job) }
        }
    }

    /// The next job to start, if one is due and the cap allows; it counts as in flight until ``finish(_:next:now:)``.
    public mutating func next() -> DeliveryJob? {
        guard inFlight.count < concurrency, let job = ready.popFirst() else { return nil }
        readySet.remove(job)
        inFlight.insert(job)
        return job
    }

    /// When the earliest waiting job is due, if any.
    public mutating func nextWakeUp() -> Timestamp? {
        while let earliest = waiting.min, dueAt[earliest.job] != earliest.time { _ = waiting.removeMin() }
        return waiting.min?.time
    }

    /// Jobs due now and waiting for a free slot.
    public var readyCount: Int { ready.count }
}

private struct Due: Comparable {
    let time: Timestamp
    let job: DeliveryJob

    static func < (lhs: Due, rhs: Due) -> Bool { lhs.time < rhs.time }
    static func == (lhs: Due, rhs: Due) -> Bool { lhs.time == rhs.time && lhs.job == rhs.job }
}
