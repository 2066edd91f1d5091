import Dispatch
import Foundation
import HookLogCore
import Synchronization

/// The log's one writer (docs/rules.md §3.3): a thread that owns LMDB's write transaction and **group-commits**.
/// Every request that arrives while a commit is under way joins the next transaction, so one fsync serves many; a
/// commit carries the deliveries of at most a ``CommitBudget``, and a request beyond it is split over several.
///
/// For each batch it looks up what the batch's events could repeat, decides and folds the batch into its working
/// state (``LiveState``), writes all its records and their index entries in one transaction, and only once that is
/// committed publishes what changed to readers (``PublishedState``), tells the ``CommitFeed`` and answers the
/// callers. A commit that fails is never published: the working state is folded again from what the disk holds.
/// A commit that found no room on the disk refuses only its own batch (``StorageShortage``); any other failure
/// refuses every later request. Checkpoints are encoded by the ``Checkpointer`` and written in a commit.
final class LogWriter: Sendable {
    private let databases: LogDatabases
    private let naming: IndexNaming
    private let reader: LogReader
    private let directoryLock: DataDirectoryLock
    private let live: Mutex<LiveState<LogReader>>
    /// Readers' view, unless the store keeps none (``LogStore/Options/publishesState``).
    private let published: PublishedState?
    private let feed: CommitFeed
    private let checkpointer: Checkpointer
    private let queue: CommitQueue
    private let wakeup = DispatchSemaphore(value: 0)

    /// A writer for the databases of the directory `directoryLock` holds, starting from `state` (restored from the
    /// checkpoint at `lastCheckpoint` plus the log after it), taking a checkpoint every `checkpointInterval` records.
    init(
        databases: LogDatabases, directoryLock: DataDirectoryLock, state: HookLogState, lastCheckpoint: UInt64,
        checkpointInterval: UInt64, published: PublishedState?, feed: CommitFeed
    ) {
        self.databases = databases
        guard let naming = databases.naming else { preconditionFailure("a directory opened for writing has an id table") }
        self.naming = naming
        reader = LogReader(databases: databases)
        self.directoryLock = directoryLock
        self.published = published
        self.feed = feed
        checkpointer = Checkpointer(interval: checkpointInterval, lastCheckpoint: lastCheckpoint, writerWakeup: wakeup)
        queue = CommitQueue { [wakeup] in wakeup.signal() }
        live = Mutex(LiveState(
            state: state, log: reader, ids: IdentifierSource(BufferedSystemRandom())))
    }

    /// Starts the writer's thread.
    func start() {
        let thread = Thread { [self] in
            // Named from inside: Foundation on Linux names a thread after its quality of service when it starts, and
            // the kernel keeps 15 characters of a name.
            Thread.current.name = "hooklog-writer"
            run()
        }
        thread.start()
    }

    /// The working state, durable or not, with whole queue windows.
    var workingState: HookLogState {
        live.withLock(\.state)
    }

    /// Runs `body` on the working state under the writer's lock: for a caller that decides and folds records itself
    /// and then appends them (``Work/folded(_:)``), which must be the log's only writer and wait for each append
    /// before folding more, so that the writer publishes and checkpoints only durable records.
    func withLiveState<T: Sendable>(_ body: (inout LiveState<LogReader>) throws -> T) throws -> T {
        try live.withLock { live in try body(&live) }
    }

    /// Why the log accepts no more records, once a commit has failed.
    var failure: StoreError? {
        live.withLock(\.failure)
    }

    /// How many commands and records wait, not yet taken into a commit.
    var backlog: Int {
        queue.backlog
    }

    /// Queues `work` for the next group commit and returns its answer once that commit is durable and published.
    func submit(_ work: Work) async throws -> [Result<[LoggedRecord], DecisionError>] {
        try await queue.submit(work)
    }

    /// The state right after the last `HistoryCompacted` folded, once: the base snapshot a compaction stores.
    func takeBase() -> HookLogState? {
        live.withLock { live in
            defer { live.base = nil }
            return live.base
        }
    }

    /// Stores a compaction's encoded base snapshot in the transaction of the next group commit; returns once it is
    /// durable.
    func storeBase(_ encoded: [UInt8]) async throws {
        try await withCheckedThrowingContinuation { continuation in
            queue.enqueue(.storeBase(encoded, continuation))
        }
    }

    /// Removes a compaction's chunk in the transaction of the next group commit, but the records of events a record
    /// after `base` (the compaction's base snapshot) queued again meanwhile, which stay.
    func remove(_ chunk: CompactionChunk, since base: UInt64) async throws -> ChunkRemoval {
        try await withCheckedThrowingContinuation { continuation in
            queue.enqueue(.remove(chunk, since: base, continuation))
        }
    }

    /// Stops taking work, commits what is queued, writes a checkpoint, closes the LMDB environment and releases the
    /// directory; returns once all of that is done.
    func close() async {
        await queue.close()
    }

    private func run() {
        while true {
            wakeup.wait()
            let taken = queue.take()
            // One compaction write per commit: another one waiting gets a loop of its own.
            if taken.moreHousekeeping { wakeup.signal() }
            if taken.requests.isEmpty {
                writeEncodedCheckpoint()
                if let job = taken.job { keepHouse(job) }
            } else {
                commit(taken.requests, with: taken.job)
            }
            if taken.closed {
                finish()
                return
            }
        }
    }

    /// Commits what came in while closing (the rest of split requests too), writes the final checkpoint, and lets
    /// go of everything.
    private func finish() {
        while true {
            let remaining = queue.takeRequests()
            if remaining.isEmpty { break }
            commit(remaining, with: nil)
        }
        let state: HookLogState? = live.withLock { $0.failure == nil ? $0.state : nil }
        if let state, let checkpoint = checkpointer.finalCheckpoint(of: state) { try? write([], checkpoint: checkpoint) }
        for job in queue.takeAllHousekeeping() { job.fail(StoreError.closed) }
        databases.environment.close()
        directoryLock.release()
        feed.finish()
        queue.finish()
    }

    /// One group commit: decide and fold, write, publish, tell, answer. The batch's requests are taken in order until
    /// their events spend the ``CommitBudget``; what is left waits for the next commit (``CommitQueue/putBack(waiting:resumed:)``),
    /// and a request split by the bound is answered when its last part is durable. A compaction's `job` rides in the
    /// same transaction, settled once the batch is folded.
    private func commit(_ batch: [Request], with job: Housekeeping?) {
        var idempotency: Idempotency
        do {
            let repeatable = batch.flatMap(\.work.repeatableEvents)
            idempotency = Idempotency(received: try reader.receivedRecords(repeatedBy: repeatable), repeatable: repeatable)
        } catch {
            for request in batch { request.continuation.resume(throwing: error) }
            if let job { keepHouse(job) }
            return
        }
        var settled: SettledHousekeeping?
        let decided: DecidedBatch
        do {
            decided = try live.withLock { live throws(StoreError) in
                let decided = try live.decideUnlessFailed(batch, idempotency: &idempotency)
                settled = job.map { Self.settle($0, in: &live) }
                return decided
            }
        } catch {
            for request in batch { request.continuation.resume(throwing: error) }
            job?.fail(error)
            return
        }
        let writes = decided.writes
        let checkpoint = checkpointer.takeEncoded()
        do {
            try write(writes, checkpoint: checkpoint, with: settled)
        } catch {
            let failure = refusalOfFailedWrite(error, writing: writes, checkpoint: checkpoint)
            for request in batch { request.continuation.resume(throwing: failure) }
            return
        }
        let changed = published != nil && !writes.isEmpty ? PublishedState.changes(of: writes) : nil
        live.withLock { live in
            if let published, let changed { published.publish(changed, from: live.state) }
            // Every record folded is durable now, and nothing is folded again before the callers are answered.
            if live.failure == nil { checkpointer.startIfDue(live.state) }
        }
        if !writes.isEmpty { feed.send(writes.map(\.entry)) }
        for request in decided.finished { request.continuation.resume(returning: request.answered) }
        queue.putBack(waiting: decided.waiting, resumed: decided.resumed)
    }

    /// What the callers of a batch whose write failed with `error` are told. A lack of room (``StorageShortage``)
    /// leaves the writer working: LMDB's environment is opened again if the failure left it in `MDB_PANIC`, the
    /// working state is folded again from what the disk holds (outside its lock, which only this thread changes),
    /// and the batch is refused with ``StoreError/insufficientStorage(_:)``. Any other failure, or a state that
    /// cannot be read back, fails the writer for good.
    private func refusalOfFailedWrite(
        _ error: any Error, writing writes: [PendingWrite], checkpoint: [UInt8]?
    ) -> StoreError {
        let attempted = writes.reduce(checkpoint?.count ?? 0) { $0 + $1.bytes.count }
        let directory = directoryLock.directory
        let shortage = StorageShortage(error, attemptedBytes: attempted) { try? DiskUsage.freeBytes(at: directory) }
        guard let shortage else { return live.withLock { live in live.fail(error) } }
        let (policy, queueWindow) = live.withLock { ($0.state.policy, $0.state.queueWindow) }
        do {
            _ = try databases.environment.reopenIfPanicked()
            let restored = try reader.currentState(policy: policy, queueWindow: queueWindow).state
            live.withLock { $0.state = restored }
            return .insufficientStorage(shortage.description)
        } catch {
            return live.withLock { live in live.fail(error) }
        }
    }

    /// Writes records with their index entries, and a checkpoint, in one transaction.
    private func write(_ writes: [PendingWrite], checkpoint: [UInt8]?) throws {
        guard !writes.isEmpty || checkpoint != nil else { return }
        try databases.environment.write { transaction in
            try writeContents(writes, checkpoint: checkpoint, in: transaction)
        }
    }

    /// Writes records, a checkpoint and a compaction's settled `housekeeping` in one transaction. Should that fail,
    /// the housekeeping is refused with the error (compaction can always wait; the next pass goes on), and the rest
    /// is written again alone.
    private func write(_ writes: [PendingWrite], checkpoint: [UInt8]?, with housekeeping: SettledHousekeeping?) throws {
        guard let housekeeping else { return try write(writes, checkpoint: checkpoint) }
        do {
            try databases.environment.write { transaction in
                try writeContents(writes, checkpoint: checkpoint, in: transaction)
                try housekeeping.write(to: databases, naming: naming, in: transaction)
            }
        } catch {
            _ = try? databases.environment.reopenIfPanicked()
            housekeeping.job.fail(error)
            try write(writes, checkpoint: checkpoint)
            return
        }
        housekeeping.succeed()
    }

    private func writeContents(
        _ writes: [PendingWrite], checkpoint: [UInt8]?, in transaction: borrowing WriteTransaction
    ) throws {
        if !writes.isEmpty {
            try writeRecords(writes, in: transaction)
        }
        if let checkpoint {
            try databases.checkpoint.write(checkpoint, in: transaction)
        }
    }

    /// Appends records to the log with their index entries.
    private func writeRecords(_ writes: [PendingWrite], in transaction: borrowing WriteTransaction) throws {
        var indexes = try IndexEntryWriter(databases, naming: naming, in: transaction)
        for write in writes {
            try indexes.append(write.entry, bytes: write.bytes, names: { $0.names(in: write.keys) }, in: transaction)
        }
        try indexes.finish(in: transaction)
    }

    /// Settles a compaction's `job` against the working state `live`: a removal keeps the records of the events a
    /// record after its base queued again (and those before its base are no longer of interest to any removal).
    private static func settle(_ job: Housekeeping, in live: inout LiveState<LogReader>) -> SettledHousekeeping {
        guard case .remove(_, let base, _) = job else { return SettledHousekeeping(job, requeued: []) }
        live.requeuedEvents.removeAll { $0.sequence <= base }
        return SettledHousekeeping(job, requeued: Set(live.requeuedEvents.map(\.event)))
    }

    /// Does a compaction's `job` in a transaction of its own, when no batch came for it to ride with.
    private func keepHouse(_ job: Housekeeping) {
        let settled: SettledHousekeeping? = live.withLock { live in
            if let failure = live.failure {
                job.fail(failure)
                return nil
            }
            return Self.settle(job, in: &live)
        }
        guard let settled else { return }
        try? write([], checkpoint: nil, with: settled)
    }

    /// Writes a checkpoint the ``Checkpointer`` finished while no batch was waiting, in a commit of its own. A
    /// checkpoint is only a shortcut, so one that fails is skipped; if its failure (a full disk) left LMDB's
    /// environment in `MDB_PANIC`, the environment is opened again for the batches that follow.
    private func writeEncodedCheckpoint() {
        guard let checkpoint = checkpointer.takeEncoded(), live.withLock({ $0.failure == nil }) else { return }
        if (try? write([], checkpoint: checkpoint)) == nil { _ = try? databases.environment.reopenIfPanicked() }
    }
}
