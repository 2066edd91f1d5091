import HookLogCore
import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// The writer of a PostgreSQL log on one node of a fleet: one task that **group-commits**, as the data directory's
/// ``LogWriter`` does. Every request that arrives while a transaction is under way joins the next one, so one commit
/// serves many; a caller's `await` returns only once the transaction that holds its records has committed.
///
/// Several nodes append to one log. Each batch is one transaction that locks the head row, folds the records other
/// nodes appended since this one last looked (and tells readers and the commit feed of them), looks up what the
/// batch's events could repeat and which of the events it sends again compaction removed, confirms the partitions
/// whose deliveries' outcomes this node may record (``PartitionLeases``), decides and folds the batch into the
/// working state (``LiveState``), and writes its records, their index rows and the new head. Sequences stay one
/// gap-free order for the whole fleet, and every decision is made on the whole log. Only once committed does it
/// publish to readers (``PublishedState``), tell the ``CommitFeed`` and answer the callers. Between batches it
/// follows the other nodes' commits as the database announces them (``follow()``).
///
/// A transaction that fails (the database unreachable) may or may not have committed: its batch is refused with
/// ``StoreError/unavailable(_:)``, and the state is folded again from what the database holds before the next batch.
final class PostgresAppender: Sendable {
    private let client: PostgresClient
    private let queries: PostgresQueries
    private let logger: Logger
    private let leases: PartitionLeases?
    private let live: Mutex<LiveState<PostgresFoldedLog>>
    private let published: PublishedState
    private let feed: CommitFeed
    /// What waits for the writer: the log queues its requests here.
    let queue: CommitQueue
    /// Set once a commit failed after its batch was folded into the working state, which is then unsure: the next
    /// batch folds it again first. Its count moves on at every failed commit, so that a transaction cut short at its
    /// deadline, still running, can fold nothing more into the state.
    private let stale = Mutex((isStale: false, generation: 0))
    /// Set when other nodes may have committed: the writer follows them once it has no batch to commit. With the head
    /// a commit announced, the writer follows only when it is past its own state; without one, it asks the database.
    private let followWanted = Mutex<Announced?>(nil)
    /// One element whenever the queue has work or other nodes committed; elements that come while one waits make one.
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    /// A writer starting from `state`, the log folded up to its head, that records deliveries' outcomes for the
    /// partitions `leases` holds (every partition when nil).
    init(
        client: PostgresClient, queries: PostgresQueries, leases: PartitionLeases?, state: HookLogState,
        published: PublishedState, feed: CommitFeed, logger: Logger
    ) {
        self.client = client
        self.queries = queries
        self.leases = leases
        self.published = published
        self.feed = feed
        self.logger = logger
        live = Mutex(LiveState(state: state, log: PostgresFoldedLog(), ids: IdentifierSource(BufferedSystemRandom())))
        let (wakeups, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        self.wakeups = wakeups
        self.wake = wake
        queue = CommitQueue { wake.yield() }
    }

    /// Why the log accepts no more records: a record it could not fold.
    var failure: StoreError? {
        live.withLock(\.failure)
    }

    /// What the writer is asked to follow.
    private enum Announced {
        /// A commit moved the head to this sequence.
        case head(UInt64)
        /// The head may have moved: the database tells.
        case unknown
    }

    /// The state right after the last `HistoryCompacted` this node appended, taken once by the compaction that
    /// asked for it.
    func takeBase() -> HookLogState? {
        live.withLock { live in
            defer { live.base = nil }
            return live.base
        }
    }

    /// Asks the writer to fold what other nodes committed, once it has no batch to commit: up to `head`, which a
    /// commit announced, or whatever the database holds when nil.
    func followOthers(upTo head: UInt64?) {
        followWanted.withLock { wanted in
            wanted = switch (wanted, head) {
            case (.head(let known), .some(let head)): .head(max(known, head))
            case (nil, .some(let head)): .head(head)
            default: .unknown
            }
        }
        wake.yield()
    }

    /// Commits batch after batch until closed; the log runs it in a task of its own.
    func run() async {
        for await _ in wakeups {
            while true {
                let taken = queue.take()
                if !taken.requests.isEmpty {
                    await commit(taken.requests)
                } else if taken.closed {
                    feed.finish()
                    return queue.finish()
                } else {
                    if let announced = followWanted.withLock({ wanted in defer { wanted = nil }; return wanted }) {
                        await follow(announced)
                    }
                    break
                }
            }
        }
    }

    /// One group commit: catch up, decide and fold, write, publish, tell, answer (as ``LogWriter`` does).
    private func commit(_ batch: [Request]) async {
        let decided: DecidedBatch
        let folded = FoldMark()
        do {
            decided = try await decideFoldingAgainIfBehind(batch, folded: folded)
        } catch {
            stale.withLock { $0.generation += 1 }
            // Read under the state's lock, which a transaction still running holds while it folds: either it folded
            // before the count moved on, and is seen here, or it folds nothing.
            if live.withLock({ _ in folded.isSet }) { stale.withLock { $0.isStale = true } }
            let refusal = refusal(of: error)
            for request in batch { request.continuation.resume(throwing: refusal) }
            return
        }
        if !decided.writes.isEmpty {
            let changed = PublishedState.changes(of: decided.writes)
            live.withLock { live in published.publish(changed, from: live.state) }
            feed.send(decided.writes.map(\.entry))
        }
        for request in decided.finished { request.continuation.resume(returning: request.answered) }
        queue.putBack(waiting: decided.waiting, resumed: decided.resumed)
    }

    /// Decides and writes `batch` in one transaction, after folding the log again if the state is stale; should the
    /// transaction find records after the state gone (``FellBehindCompaction``), folds the log again from the base
    /// and tries once more.
    private func decideFoldingAgainIfBehind(_ batch: [Request], folded: FoldMark) async throws -> DecidedBatch {
        do {
            return try await decideAfterRefold(batch, folded: folded)
        } catch where PostgresReachability.cause(of: error) is FellBehindCompaction {
            logger.notice("\(PostgresReachability.cause(of: error))")
            return try await decideAfterRefold(batch, folded: folded)
        }
    }

    private func decideAfterRefold(_ batch: [Request], folded: FoldMark) async throws -> DecidedBatch {
        try await refoldIfStale()
        let generation = stale.withLock(\.generation)
        let fenced = leases != nil && batch.contains { $0.work.recordsDeliveries }
        return try await queries.deadline.run(on: client) { connection in
            try await self.decide(batch, fenced: fenced, generation: generation, folded: folded, on: connection)
        }
    }

    /// The transaction of one group commit on `connection`: locks the head, folds what other nodes appended before
    /// it, decides the batch and writes it; `fenced` when the batch records deliveries' outcomes, which only the
    /// partitions this node's leases the database confirms may have.
    private func decide(
        _ batch: [Request], fenced: Bool, generation: Int, folded: FoldMark, on connection: PostgresConnection
    ) async throws -> DecidedBatch {
        try await connection.withTransaction(logger: logger) { connection in
            let rows = try await connection.query("SELECT last_sequence FROM hooklog_head FOR UPDATE", logger: logger)
            var head: UInt64 = 0
            for try await sequence in rows.decode(Int64.self) { head = UInt64(sequence) }
            try await catchUp(to: head, on: connection, generation: generation)
            let snapshot = PostgresSnapshot(connection: connection, logger: logger)
            let repeatable = batch.flatMap(\.work.repeatableEvents)
            var idempotency = Idempotency(
                received: try await snapshot.receivedRecords(repeatedBy: repeatable), repeatable: repeatable)
            let fence = fenced ? try await leases?.confirmed(on: connection) : nil
            let sentAgain = Set(batch.flatMap(\.work.eventsSentAgain))
            let missing = sentAgain.subtracting(try await snapshot.held(among: sentAgain))
            let decided = try live.withLock { live throws(StoreError) in
                try self.checkGeneration(generation)
                folded.set()
                live.fence = fence
                live.log = PostgresFoldedLog(missing: missing)
                defer { live.requeuedEvents.removeAll() }  // a removal asks the database what was queued again
                return try live.decideUnlessFailed(batch, idempotency: &idempotency)
            }
            try await write(decided.writes, on: connection)
            return decided
        }
    }

    /// Folds the records after this node's state up to `head`, which other nodes appended, and tells readers and the
    /// commit feed of them: they committed before the transaction reading them. Records after the state that are
    /// gone (another node's compaction removed them before this node folded them) mark the state stale, to be folded
    /// again from the base.
    private func catchUp(to head: UInt64, on connection: PostgresConnection, generation: Int) async throws {
        let snapshot = PostgresSnapshot(connection: connection, logger: logger)
        while true {
            let last = live.withLock(\.state.lastSequence)
            guard head > last else { return }
            let batch = try await snapshot.records(after: last, limit: Int(min(head - last, 10_000))).map { try $0.decoded() }
            guard !batch.isEmpty else { return }
            guard PostgresSnapshot.runWithoutGap(batch.map(\.sequence), after: last) else {
                stale.withLock { $0.isStale = true }
                throw FellBehindCompaction(after: last)
            }
            try live.withLock { live in
                try self.checkGeneration(generation)
                let changed = try live.follow(batch)
                published.publish(changed, from: live.state)
            }
            feed.send(batch)
        }
    }

    /// Folds what other nodes committed since this node's state, outside any transaction of its own: each read sees
    /// a prefix of the log, as appends commit in sequence order. An announced head this node has folded already (its
    /// own commit's) costs nothing.
    private func follow(_ announced: Announced) async {
        if case .head(let head) = announced, head <= published.withState(\.lastSequence) { return }
        do {
            try await refoldIfStale()
            let generation = stale.withLock(\.generation)
            let head = try await queries.lastSequence()
            try await queries.deadline.run(on: client) { connection in
                try await self.catchUp(to: head, on: connection, generation: generation)
            }
        } catch {
            // What it folded had committed: the state stays sure; a read still running can fold nothing more.
            stale.withLock { $0.generation += 1 }
            logger.warning("this node could not fold the fleet's latest records; it tries again: \(error)")
        }
    }

    /// Throws unless the state is still the one `generation` names, which a transaction cut short at its deadline,
    /// and its state folded again meanwhile, no longer is.
    private func checkGeneration(_ generation: Int) throws(StoreError) {
        guard stale.withLock(\.generation) == generation else {
            throw StoreError.unavailable("the log's database did not answer in time")
        }
    }

    /// What the callers of a batch that failed with `error` are told: that the log cannot take records any more,
    /// or that the database cannot be reached now.
    private func refusal(of error: any Error) -> StoreError {
        let error = PostgresReachability.refusal(of: error, "the log's database failed the commit")
        if case .unavailable(let reason) = error as? StoreError {
            logger.error("writes are refused until the log's database answers: \(reason)")
        }
        return error as? StoreError ?? live.withLock { $0.fail(error) }
    }

    /// Folds the working state again from what the database holds, after a commit that may or may not have reached
    /// it; first asks the database for its head, which fails at the deadline while it does not answer. Records that
    /// landed meanwhile, of a commit cut short or of other nodes, are published whole and sent to the commit feed, so
    /// that readers, the stream and the delivery engine see them as they see any other commit's.
    ///
    /// The fold starts from the base snapshot (the first record for a log never compacted): the failed batch was
    /// folded into the working state before it was written, and readers' published state holds queues without what
    /// waits behind their heads, so neither can be taken up from. Each of its reads has the deadline, so a database
    /// that stops answering again fails it there.
    private func refoldIfStale() async throws {
        guard stale.withLock(\.isStale) else { return }
        let policy = live.withLock(\.state.policy)
        _ = try await queries.lastSequence()
        let state = try await queries.foldedState(policy: policy)
        let told = published.withState(\.lastSequence)
        // Compaction may have left gaps after what readers were told: as many rows as sequences may run past the state.
        let landed = state.lastSequence > told
            ? try await queries.records(after: told, limit: Int(state.lastSequence - told)).filter { $0.sequence <= state.lastSequence }
            : []
        live.withLock { $0.state = state }
        published.replace(with: state)
        if !landed.isEmpty { feed.send(landed) }
        stale.withLock { $0.isStale = false }
        logger.notice("the log's database answers again; writes resume at record \(state.lastSequence + 1)")
    }

    /// Writes records with their index rows and moves the head to the last record, in the transaction that locked
    /// the head at the first record's predecessor; announces the new head to the other nodes once it commits.
    private func write(_ writes: [PendingWrite], on connection: PostgresConnection) async throws {
        guard let first = writes.first, let last = writes.last else { return }
        var rows = PostgresRecordRows()
        for write in writes {
            rows.add(write.entry, bytes: write.bytes, names: { Set($0.names(in: write.keys)) })
        }
        let (from, to) = (Int64(first.sequence - 1), Int64(last.sequence))
        let moved = try await connection.query(
            "UPDATE hooklog_head SET last_sequence = \(to) WHERE last_sequence = \(from) RETURNING last_sequence", logger: logger)
        guard try await moved.collect().count == 1 else {
            throw StoreError.unavailable("the log's head moved under its lock; the next commit folds it again")
        }
        try await rows.insert(on: connection, logger: logger)
        try await connection.query("SELECT pg_notify('hooklog_commits', \(String(to)))", logger: logger)
    }
}

/// Whether a commit's transaction has folded its batch into the working state, for the commit to tell once the
/// transaction failed whether that state is still sure.
private final class FoldMark: Sendable {
    private let mark = Mutex(false)

    /// Marks the batch folded.
    func set() {
        mark.withLock { $0 = true }
    }

    /// Whether the batch was folded.
    var isSet: Bool {
        mark.withLock { $0 }
    }
}

/// Records after this node's state are gone: another node's compaction removed them before this node folded them,
/// and only the base it stored stands for them now. The state is stale, to be folded again from that base.
private struct FellBehindCompaction: Error, CustomStringConvertible {
    /// The last sequence this node had folded.
    let after: UInt64

    var description: String {
        "records after \(after) were compacted away before this node folded them; it folds the log again from the base"
    }
}
