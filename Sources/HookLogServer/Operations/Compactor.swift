import HookLogCore
import HookLogStore
import Logging
import ServiceLifecycle

/// Keeps the log within its retention (docs/rules.md §3.7): now and then, at a low priority, it compacts away the
/// finished history older than the retention. Runs as a service of the server's group until it shuts down.
struct Compactor<C: Clock<Duration>>: Service where C.Instant == Timestamp {
    private let store: any EventLog
    private let retention: Duration
    private let clock: C
    private let metrics: CompactionMetrics
    private let logger: Logger

    /// A compactor keeping `retention` of history in `store`, by `clock`, telling `metrics` how far it got.
    init(store: any EventLog, retention: Duration, clock: C, metrics: CompactionMetrics, logger: Logger) {
        self.store = store
        self.retention = retention
        self.clock = clock
        self.metrics = metrics
        self.logger = logger
    }

    /// How often a pass starts: every tenth of the retention, at least a second and at most ten minutes apart. A
    /// pass that takes longer is followed at once by the next.
    var interval: Duration {
        min(max(retention / 10, .seconds(1)), .seconds(600))
    }

    func run() async throws {
        metrics.start(at: (try? await store.queries.historyStart())?.at)
        await cancelWhenGracefulShutdown {
            var next = clock.now.advanced(by: interval)
            while !Task.isCancelled {
                do {
                    try await clock.sleep(until: next, tolerance: nil)
                } catch {
                    return
                }
                next = clock.now.advanced(by: interval)
                await compactOnce()
            }
        }
    }

    /// One pass at the clock's time, on a task of background priority that stops between two chunks when the
    /// service is cancelled. Its removals are spread over half the interval at most, so that
    /// appends meanwhile keep their latency.
    private func compactOnce() async {
        let now = clock.now
        let cutoff = now.adding(.zero - retention)
        do {
            let previousStart = try await store.queries.historyStart()?.at
            let pass = Task(priority: .background) { [store, interval] in
                try await store.compact(before: cutoff, at: now, spread: interval / 2)
            }
            let report = try await withTaskCancellationHandler { try await pass.value } onCancel: { pass.cancel() }
            metrics.compacted(report, cutoff: cutoff, previousStart: previousStart)
        } catch is CancellationError {
            return
        } catch {
            logger.warning("compaction failed; the next pass tries again", metadata: ["error": "\(error)"])
        }
    }
}
