import HookLogCore
import Synchronization

/// What waits for a log's writer (``LogWriter``, ``PostgresAppender``): the requests for its next group commit, the
/// compaction's writes waiting to ride with one, and whether the log is closing. Callers queue and wait here; the
/// writer takes, and wakes them through the requests' continuations. `wake` tells the writer there is work.
final class CommitQueue: Sendable {
    private struct Contents {
        var requests: [Request] = []
        /// Taken one per group commit, in order.
        var housekeeping: [Housekeeping] = []
        /// The commands and records of `requests`.
        var backlog = 0
        var closed = false
        /// The writer has stopped; nothing will wait on the queue again.
        var finished = false
        var closeWaiters: [CheckedContinuation<Void, Never>] = []
    }

    /// What the writer takes for one group commit (``CommitQueue/take()``).
    struct Taken {
        /// Every request queued, in order.
        var requests: [Request]
        /// The oldest compaction write waiting.
        var job: Housekeeping?
        /// Whether more compaction writes wait behind `job`.
        var moreHousekeeping: Bool
        /// Whether the log is closing.
        var closed: Bool
    }

    private let contents = Mutex(Contents())
    private let wake: @Sendable () -> Void

    /// A queue that calls `wake` whenever it has work for the writer.
    init(wake: @escaping @Sendable () -> Void) {
        self.wake = wake
    }

    /// How many commands and records wait, not yet taken into a commit.
    var backlog: Int {
        contents.withLock(\.backlog)
    }

    /// Queues `work` for the next group commit and returns its answer once the writer gives it; refused with
    /// ``StoreError/closed`` once the log is closing.
    func submit(_ work: Work) async throws -> [Result<[LoggedRecord], DecisionError>] {
        try await withCheckedThrowingContinuation { continuation in
            let accepted = contents.withLock { contents in
                guard !contents.closed else { return false }
                contents.requests.append(Request(work: work, continuation: continuation))
                contents.backlog += work.count
                return true
            }
            if accepted { wake() } else { continuation.resume(throwing: StoreError.closed) }
        }
    }

    /// Queues a compaction write for a group commit; refused with ``StoreError/closed`` once the log is closing.
    func enqueue(_ job: Housekeeping) {
        let accepted = contents.withLock { contents in
            guard !contents.closed else { return false }
            contents.housekeeping.append(job)
            return true
        }
        if accepted { wake() } else { job.fail(StoreError.closed) }
    }

    /// Takes every request and the oldest compaction write, for one group commit.
    func take() -> Taken {
        contents.withLock { contents in
            defer { contents.requests.removeAll(); contents.backlog = 0 }
            let job = contents.housekeeping.isEmpty ? nil : contents.housekeeping.removeFirst()
            return Taken(
                requests: contents.requests, job: job, moreHousekeeping: !contents.housekeeping.isEmpty,
                closed: contents.closed)
        }
    }

    /// Takes every request, leaving the compaction writes.
    func takeRequests() -> [Request] {
        contents.withLock { contents in
            defer { contents.requests.removeAll(); contents.backlog = 0 }
            return contents.requests
        }
    }

    /// Puts back what a commit left for the next one: `waiting`, which came before every request queued meanwhile,
    /// then the rest of split requests (`resumed`), behind them all, so that a large request never holds the line.
    func putBack(waiting: [Request], resumed: [Request]) {
        guard !waiting.isEmpty || !resumed.isEmpty else { return }
        contents.withLock { contents in
            contents.requests = waiting + contents.requests + resumed
            contents.backlog += (waiting + resumed).reduce(0) { $0 + $1.work.count }
        }
        wake()
    }

    /// Stops taking work and returns once the writer has committed what was queued and said it has finished.
    func close() async {
        await withCheckedContinuation { continuation in
            let finished = contents.withLock { contents in
                contents.closed = true
                if !contents.finished { contents.closeWaiters.append(continuation) }
                return contents.finished
            }
            if finished { continuation.resume() } else { wake() }
        }
    }

    /// The compaction writes still waiting, taken out, for a writer that stops.
    func takeAllHousekeeping() -> [Housekeeping] {
        contents.withLock { contents in
            defer { contents.housekeeping.removeAll() }
            return contents.housekeeping
        }
    }

    /// Says that the writer has stopped: every ``close()`` returns.
    func finish() {
        let waiters = contents.withLock { contents in
            defer { contents.closeWaiters.removeAll() }
            contents.finished = true
            return contents.closeWaiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
