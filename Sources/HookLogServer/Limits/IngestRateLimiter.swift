import HookLogCore
import Synchronization

/// "Ingest rate" (docs/operations.md, Limits for many tenants): each workspace may send ``rate`` events a second on
/// average and ``burst`` at once, counted by a ``TokenBucket`` of its own on the server's clock; every event of a
/// request costs one token.
///
/// Only workspaces that sent lately have a bucket: a bucket that has filled up again is the same as none, so once
/// the buckets double in number since the last sweep, the full ones are dropped.
final class IngestRateLimiter: Sendable {
    /// Events per second per workspace, on average.
    let rate: Int
    /// The most events a workspace may send at once: twice the rate.
    var burst: Int { rate * 2 }

    private struct Buckets {
        var byWorkspace: [WorkspaceID: TokenBucket] = [:]
        /// The number of buckets at which the full ones are dropped.
        var sweepAt = IngestRateLimiter.smallestSweep
    }

    private static var smallestSweep: Int { 1024 }
    private let buckets = Mutex(Buckets())

    /// A limiter of `rate` events per second per workspace.
    init(rate: Int) {
        self.rate = rate
    }

    /// Charges `events` to `workspace` at `now`: nil when they are admitted, else how long until they would be, and
    /// nothing is charged.
    func admit(_ events: Int, for workspace: WorkspaceID, at now: Timestamp) -> Duration? {
        buckets.withLock { buckets in
            var bucket = buckets.byWorkspace[workspace] ?? TokenBucket(rate: rate, capacity: burst, now: now)
            if let wait = bucket.take(events, at: now) { return wait }
            buckets.byWorkspace[workspace] = bucket
            if buckets.byWorkspace.count >= buckets.sweepAt {
                buckets.byWorkspace = buckets.byWorkspace.filter { !$0.value.isFull(at: now) }
                buckets.sweepAt = max(Self.smallestSweep, buckets.byWorkspace.count * 2)
            }
            return nil
        }
    }

    /// How many workspaces have a bucket now: those that sent within about the time a bucket takes to fill.
    var bucketCount: Int {
        buckets.withLock { $0.byWorkspace.count }
    }
}
