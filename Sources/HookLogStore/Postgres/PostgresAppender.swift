import HookLogCore
import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// The writer of a PostgreSQL log: one task that **group-commits**, as the data directory's ``LogWriter`` does.
/// Every request that arrives while a transaction is under way joins the next one, so one commit serves many; a
/// caller's `await` returns only once the transaction that holds its records has committed.
///
/// For each batch it looks up what the batch's events could repeat, decides and folds the batch into its working
/// state (``LiveState``), and writes the records, their index rows and the new head in one transaction, which only
/// moves the head from the sequence the writer folded to, with the writer's epoch (``PostgresSchema``): a writer that
/// another has taken the log over from is refused by the database, and stops. Only once committed does it publish to
/// readers (``PublishedState``), tell the ``CommitFeed`` and answer the callers. A transaction that fails for another
/// reason (the database unreachable) may or may not have committed: its batch is refused with
/// ``StoreError/unavailable(_:)``, and the state is folded again from what the database holds before the next batch.
final class PostgresAppender: Sendable {
    private let client: PostgresClient
    private let queries: PostgresQueries
    private let logger: Logger
    private let epoch: Int64
    private let live: Mutex<LiveState<PostgresFoldedLog>>
    private let published: PublishedState
    private let feed: CommitFeed
    /// What waits for the writer: the log queues its requests here.
    let queue: CommitQueue
    /// Set once a commit failed in a way that leaves the working state unsure: the next batch folds it again first.
    private let stale = Mutex(false)
    /// One element whenever the queue has work; elements that come while one waits make one.
    private let wakeups: AsyncStream<Void>

    /// A writer with epoch `epoch`, starting from `state`, the log folded up to its head.
    init(
        client: PostgresClient, queries: PostgresQueries, epoch: Int64, state: HookLogState, published: PublishedState,
        feed: CommitFeed, logger: Logger
    ) {
        self.client = client
        self.queries = queries
        self.epoch = epoch
        self.published = published
        self.feed = feed
        self.logger = logger
        live = Mutex(LiveState(state: state, log: PostgresFoldedLog(), ids: IdentifierSource(BufferedSystemRandom())))
        let (wakeups, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        self.wakeups = wakeups
        queue = CommitQueue { wake.yield() }
    }

    /// Why the log accepts no more records, once another writer took it over.
    var failure: StoreError? {
        live.withLock(\.failure)
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
                    break
                }
            }
        }
    }

    /// One group commit: decide and fold, write, publish, tell, answer (as ``LogWriter`` does).
    private func commit(_ batch: [Request]) async {
        var idempotency: Idempotency
        do {
            try await refoldIfStale()
            let repeatable = batch.flatMap(\.work.repeatableEvents)
            idempotency = Idempotency(
                received: try await queries.receivedRecords(repeatedBy: repeatable), repeatable: repeatable)
        } catch {
            let refusal = refusal(of: error)
            for request in batch { request.continuation.resume(throwing: refusal) }
            return
        }
        let decided: DecidedBatch
        do {
            decided = try live.withLock { live throws(StoreError) in try live.decideUnlessFailed(batch, idempotency: &idempotency) }
        } catch {
            for request in batch { request.continuation.resume(throwing: error) }
            return
        }
        if !decided.writes.isEmpty {
            do {
                let writes = decided.writes
                try await queries.deadline.run(on: client) { connection in try await self.write(writes, on: connection) }
            } catch {
                stale.withLock { $0 = true }
                let refusal = refusal(of: error)
                for request in batch { request.continuation.resume(throwing: refusal) }
                return
            }
            let changed = PublishedState.changes(of: decided.writes)
            live.withLock { live in published.publish(changed, from: live.state) }
            feed.send(decided.writes.map(\.entry))
        }
        for request in decided.finished { request.continuation.resume(returning: request.answered) }
        queue.putBack(waiting: decided.waiting, resumed: decided.resumed)
    }

    /// What the callers of a batch that failed with `error` are told: that the log was taken over, which fails this
    /// writer for good, or that the database cannot be reached now.
    private func refusal(of error: any Error) -> StoreError {
        let error = PostgresReachability.refusal(of: error, "the log's database failed the commit")
        if case .unavailable(let reason) = error as? StoreError {
            logger.error("writes are refused until the log's database answers: \(reason)")
        }
        return error as? StoreError ?? live.withLock { $0.fail(error) }
    }

    /// Folds the working state again from what the database holds, after a commit that may or may not have reached
    /// it, unless another writer took the log over meanwhile; first asks the database for its head, which fails at the
    /// deadline while it does not answer. A commit that landed after all is published whole and sent to the commit
    /// feed, so that readers, the stream and the delivery engine see its records as they see any other commit's.
    ///
    /// The fold starts from the first record: the failed batch was folded into the working state before it was
    /// written, and readers' published state holds queues without what waits behind their heads, so neither can be
    /// taken up from. Each of its reads has the deadline, so a database that stops answering again fails it there.
    private func refoldIfStale() async throws {
        guard stale.withLock({ $0 }) else { return }
        let policy = live.withLock(\.state.policy)
        _ = try await queries.lastSequence()
        let (state, headEpoch) = try await queries.foldedState(policy: policy)
        guard headEpoch == epoch else { throw PostgresLogError.takenOver }
        let told = published.withState(\.lastSequence)
        let landed = state.lastSequence > told
            ? try await queries.records(after: told, limit: Int(state.lastSequence - told)) : []
        live.withLock { $0.state = state }
        published.replace(with: state)
        feed.send(landed)
        stale.withLock { $0 = false }
        logger.notice("the log's database answers again; writes resume at record \(state.lastSequence + 1)")
    }

    /// Why the head did not move from where this writer folded to: another writer's epoch, or, with this writer's own,
    /// a commit of its own that was cut short but landed all the same, which the next batch folds in first.
    private static func whyTheHeadDidNotMove(_ connection: PostgresConnection, _ epoch: Int64, _ logger: Logger) async throws -> any Error {
        let rows = try await connection.query("SELECT epoch FROM hooklog_head", logger: logger)
        for try await headEpoch in rows.decode(Int64.self) where headEpoch == epoch {
            return StoreError.unavailable("a commit this node thought lost has landed; the next one goes on after it")
        }
        return PostgresLogError.takenOver
    }

    /// Writes records with their index rows in one transaction that moves the head from the first record's
    /// predecessor to the last record, with this writer's epoch.
    private func write(_ writes: [PendingWrite], on connection: PostgresConnection) async throws {
        guard let first = writes.first, let last = writes.last else { return }
        var (sequences, times, bodies) = ([Int64](), [Int64](), [ByteBuffer]())
        var (kinds, names, listed) = ([Int16](), [ByteBuffer](), [Int64]())
        for write in writes {
            let sequence = Int64(write.sequence)
            sequences.append(sequence)
            times.append(write.at.milliseconds)
            bodies.append(ByteBuffer(bytes: write.bytes))
            for kind in NamedIndex.Kind.allCases {
                for name in Set(kind.names(in: write.keys)) {
                    kinds.append(Int16(kind.rawValue))
                    names.append(ByteBuffer(bytes: name.bytes))
                    listed.append(sequence)
                }
            }
        }
        let (from, to) = (Int64(first.sequence - 1), Int64(last.sequence))
        try await connection.withTransaction(logger: logger) { connection in
            let moved = try await connection.query(
                """
                UPDATE hooklog_head SET sequence = \(to) WHERE epoch = \(epoch) AND sequence = \(from) RETURNING sequence
                """, logger: logger)
            guard try await moved.collect().count == 1 else { throw try await Self.whyTheHeadDidNotMove(connection, epoch, logger) }
            try await connection.query(
                """
                INSERT INTO hooklog_records (sequence, at, record)
                SELECT * FROM unnest(\(sequences)::bigint[], \(times)::bigint[], \(bodies)::bytea[])
                """, logger: logger)
            guard !kinds.isEmpty else { return }
            try await connection.query(
                """
                INSERT INTO hooklog_index (kind, name, sequence)
                SELECT * FROM unnest(\(kinds)::smallint[], \(names)::bytea[], \(listed)::bigint[])
                """, logger: logger)
        }
    }
}
