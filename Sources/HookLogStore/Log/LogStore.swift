import Dispatch
import Foundation
public import HookLogCore
import Synchronization

/// The append-only log of a data directory, its query indexes, and the live projections folded from it.
///
/// One writer thread owns LMDB's write transaction and **group-commits**: every append or command that arrives
/// while a commit is under way joins the next transaction, so one fsync serves many. A caller's `await` returns
/// only once `mdb_txn_commit` has succeeded: what it gets back is durable. Commands are decided against the writer's
/// own state by ``Decider`` inside the writer, so two commands never decide on the same stale state, and a repeated
/// ingest request is answered there too (``Idempotency``), so two identical requests never both append.
///
/// Readers never see what a crash could take back: the writer folds each batch into its working state, and only
/// once the batch is committed does it publish what changed into the state readers see (``withState(_:)``), before
/// it answers the batch's callers and tells the commit stream. A commit that fails is never published.
///
/// Only one process may hold a store open on a directory; readers in other processes use ``LogReader``.
/// Call ``close()`` when done: it drains the queue, writes a checkpoint and releases the directory.
public final class LogStore: Sendable {
    /// How a store is opened.
    public struct Options: Sendable {
        /// The rules' numbers; the error window shapes the projections.
        public var policy: DeliveryPolicy = .standard
        /// The most queued deliveries each webhook keeps in RAM (``HookLogState/queueWindow``).
        public var queueWindow: Int? = HookLogState.standardQueueWindow
        /// The initial LMDB map size in bytes; it grows on demand.
        public var mapSize: Int = 64 << 20
        /// Records between two checkpoints of the projections.
        public var checkpointInterval: UInt64 = 100_000

        /// The defaults.
        public init() {}
    }

    /// Reads the log and its indexes.
    public let reader: LogReader
    private let databases: LogDatabases
    private let directoryLock: DataDirectoryLock
    private let checkpointInterval: UInt64
    private let live: Mutex<LiveState>
    /// What readers see: the writer's state as of its last durable commit (``HookLogState/readerView()``).
    private let published: Mutex<HookLogState>
    private let inbox = Mutex(Inbox())
    private let wakeup: DispatchSemaphore
    private let checkpoints: CheckpointEncoder
    private let subscribers = Mutex<[Int: AsyncStream<[LoggedRecord]>.Continuation]>([:])
    private let nextSubscriber = Mutex(0)

    /// Opens (creating if needed, mode 0700) the data directory's log for writing and folds it into the writer's state,
    /// starting from the last checkpoint.
    public init(directory: String, options: Options = Options()) throws {
        try DataDirectory.create(at: directory)
        directoryLock = try DataDirectoryLock(directory: directory)
        databases = try LogDatabases(directory: directory, readOnly: false, mapSize: options.mapSize)
        reader = LogReader(databases: databases)
        checkpointInterval = options.checkpointInterval
        wakeup = DispatchSemaphore(value: 0)
        checkpoints = CheckpointEncoder(writerWakeup: wakeup)
        let (state, checkpointSequence) = try Checkpoint.restore(from: reader, policy: options.policy, queueWindow: options.queueWindow)
        published = Mutex(state.readerView())
        live = Mutex(LiveState(
            state: state, reader: reader, ids: IdentifierSource(SystemRandomNumberGenerator()),
            checkpointSequence: checkpointSequence))
        let writer = Thread { [self] in runWriter() }
        writer.name = "hooklog-log-writer"
        writer.start()
    }

    /// Reads the state as of the last durable commit: every record it reflects is on disk, and a caller whose
    /// command returned sees its records here. Queues show their head and count (``HookLogState/readerView()``).
    /// Return what you need from `body` rather than the whole state, which would make the next publish copy it.
    public func withState<T>(_ body: (HookLogState) throws -> T) rethrows -> T {
        try published.withLock { try body($0) }
    }

    /// The writer's working state, durable or not, with whole queue windows: for tests that compare it with a
    /// rebuilt one.
    var writerState: HookLogState {
        live.withLock(\.state)
    }

    /// Decides each command against the writer's state at `now`, appends the records of those accepted, and returns,
    /// once they are durable, each command's records or the reason it was refused. `commands` are one API request.
    ///
    /// Repeats append nothing (docs/rules.md §4, `POST /v1/events`): an event whose client-supplied id its workspace
    /// sent before, in the log or earlier in the same group commit, gets its original `EventReceived` record as its
    /// result; a request whose events carry an `Idempotency-Key` an earlier request of the workspace used gets, as its
    /// first result, every `EventReceived` record carrying that key, in order, and empty results for the rest.
    public func execute(_ commands: [Command], at now: Timestamp) async throws -> [Result<[LoggedRecord], DecisionError>] {
        try await submit(.commands(commands, now))
    }

    /// Decides one command at `now` and returns its records once durable; a refusal throws its `DecisionError`.
    public func execute(_ command: Command, at now: Timestamp) async throws -> [LoggedRecord] {
        try await execute([command], at: now)[0].get()
    }

    /// Appends records decided elsewhere (the simulator), folds them into the writer's state, and returns them with
    /// their sequences once durable.
    public func append(_ records: [Record]) async throws -> [LoggedRecord] {
        try await submit(.records(records))[0].get()
    }

    /// Why the log accepts no more records, once its writer has failed; nil while it can be written. The health
    /// check reports it.
    public var writerFailure: StoreError? {
        live.withLock(\.failure)
    }

    /// How many commands and records wait for the writer, not yet taken into a commit: a server answers 429 when
    /// this is more than it wants to queue.
    public var backlog: Int {
        inbox.withLock(\.backlog)
    }

    /// The records of every commit from now on, one element per commit, in sequence order. The stream ends
    /// when the store closes; a subscriber that stops iterating is forgotten.
    public func commits() -> AsyncStream<[LoggedRecord]> {
        let (stream, continuation) = AsyncStream<[LoggedRecord]>.makeStream()
        let id = nextSubscriber.withLock { next in
            defer { next += 1 }
            return next
        }
        subscribers.withLock { $0[id] = continuation }
        if inbox.withLock({ $0.finished }) { continuation.finish() }
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: id) }
        }
        return stream
    }

    /// Stops taking appends, commits what is queued, writes a checkpoint, closes the LMDB environment and releases
    /// the data directory. Reads through ``reader`` fail from then on; ``withState(_:)`` still answers.
    public func close() async {
        await withCheckedContinuation { continuation in
            let finished = inbox.withLock { inbox in
                inbox.closed = true
                if !inbox.finished { inbox.closeWaiters.append(continuation) }
                return inbox.finished
            }
            if finished { continuation.resume() } else { wakeup.signal() }
        }
    }

    private func submit(_ work: Work) async throws -> [Result<[LoggedRecord], DecisionError>] {
        try await withCheckedThrowingContinuation { continuation in
            let accepted = inbox.withLock { inbox in
                guard !inbox.closed else { return false }
                inbox.requests.append(Request(work: work, continuation: continuation))
                inbox.backlog += work.count
                return true
            }
            if accepted {
                wakeup.signal()
            } else {
                continuation.resume(throwing: StoreError.closed)
            }
        }
    }

    private func runWriter() {
        while true {
            wakeup.wait()
            let (batch, closed) = inbox.withLock { inbox in
                defer { inbox.takeRequests() }
                return (inbox.requests, inbox.closed)
            }
            if batch.isEmpty { writeEncodedCheckpoint() } else { commit(batch) }
            if closed {
                let remaining = inbox.withLock { inbox in
                    defer { inbox.takeRequests() }
                    return inbox.requests
                }
                if !remaining.isEmpty { commit(remaining) }
                writeFinalCheckpoint()
                databases.environment.close()
                directoryLock.release()
                for subscriber in subscribers.withLock({ Array($0.values) }) { subscriber.finish() }
                let waiters = inbox.withLock { inbox in
                    defer { inbox.closeWaiters.removeAll() }
                    inbox.finished = true
                    return inbox.closeWaiters
                }
                for waiter in waiters { waiter.resume() }
                return
            }
        }
    }

    /// Looks up what the batch's events could repeat, decides and folds the batch into the working state, writes all
    /// its records in one transaction, and once that is committed publishes what changed to readers, then answers.
    /// When the commit fails, or the log cannot be read while deciding or folding, nothing is published, the working
    /// state is folded again from what the disk holds, and the store refuses further writes.
    ///
    /// When a checkpoint is due, the state as it stands before the batch (every record in it durable) goes to
    /// ``CheckpointEncoder``; a checkpoint it has finished is written in this commit.
    private func commit(_ batch: [Request]) {
        var replies: [[Result<[LoggedRecord], DecisionError>]] = []
        var writes: [PendingWrite] = []
        var idempotency: Idempotency
        do {
            idempotency = Idempotency(received: try reader.receivedRecords(repeatedBy: batch.flatMap(\.work.repeatableEvents)))
        } catch {
            for request in batch { request.continuation.resume(throwing: error) }
            return
        }
        let refusal: StoreError? = live.withLock { live in
            if let failure = live.failure { return failure }
            if live.state.lastSequence - live.checkpointSequence >= checkpointInterval, checkpoints.start(live.state) {
                live.checkpointSequence = live.state.lastSequence
            }
            do {
                for request in batch {
                    switch request.work {
                    case .commands(let commands, let now):
                        replies.append(try live.execute(commands, at: now, idempotency: &idempotency, into: &writes))
                    case .records(let records):
                        let entries = try live.fold(records, into: &writes)
                        idempotency.remember(entries)
                        replies.append([.success(entries)])
                    }
                }
            } catch {
                return live.fail(error)
            }
            return nil
        }
        if let refusal {
            for request in batch { request.continuation.resume(throwing: refusal) }
            return
        }
        do {
            try write(writes, checkpoint: checkpoints.takeEncoded())
        } catch {
            let failure = live.withLock { live in live.fail(error) }
            for request in batch { request.continuation.resume(throwing: failure) }
            return
        }
        publish(writes)
        let committed = replies.flatMap { $0.flatMap { (try? $0.get()) ?? [] } }
        if !committed.isEmpty {
            for subscriber in subscribers.withLock({ Array($0.values) }) { subscriber.yield(committed) }
        }
        for (request, reply) in zip(batch, replies) { request.continuation.resume(returning: reply) }
    }

    /// Publishes what a durable batch changed to readers, taking it from the working state under its lock, so that
    /// nothing the writer goes on changing is shared.
    private func publish(_ writes: [PendingWrite]) {
        guard !writes.isEmpty else { return }
        var changed = ChangedKeys()
        for write in writes { changed.add(write.entry.record, keys: write.keys) }
        live.withLock { live in
            published.withLock { $0.publish(changed, from: live.state) }
        }
    }

    private func write(_ writes: [PendingWrite], checkpoint: [UInt8]?) throws {
        guard !writes.isEmpty || checkpoint != nil else { return }
        try databases.environment.write { transaction in
            for write in writes {
                try transaction.put(write.bytes, forKey: LogKeys.sequence(write.sequence), in: databases.log, append: true)
                try transaction.put([], forKey: LogKeys.timeEntry(write.at, write.sequence), in: databases.byTime)
                for id in write.keys.webhooks {
                    try transaction.put([], forKey: LogKeys.indexEntry(id.rawValue, write.sequence), in: databases.byWebhook)
                }
                for id in write.keys.events {
                    try transaction.put([], forKey: LogKeys.indexEntry(id.rawValue, write.sequence), in: databases.byEvent)
                }
                for id in write.keys.workspaces {
                    try transaction.put([], forKey: LogKeys.indexEntry(id.rawValue, write.sequence), in: databases.byWorkspace)
                }
                for id in write.keys.deliveries {
                    try transaction.put([], forKey: LogKeys.indexEntry(id.rawValue, write.sequence), in: databases.byDelivery)
                }
                if let byIdempotencyKey = databases.byIdempotencyKey {
                    for key in write.keys.idempotencyKeys {
                        try transaction.put([], forKey: LogKeys.idempotencyEntry(key, write.sequence), in: byIdempotencyKey)
                    }
                }
            }
            if let checkpoint {
                try transaction.put(checkpoint, forKey: LogDatabases.checkpointKey, in: databases.meta)
            }
        }
    }

    /// Writes a checkpoint ``CheckpointEncoder`` finished while no batch was waiting, in a commit of its own.
    private func writeEncodedCheckpoint() {
        guard let checkpoint = checkpoints.takeEncoded(), live.withLock({ $0.failure == nil }) else { return }
        try? write([], checkpoint: checkpoint)
    }

    /// Writes, on close, a checkpoint of the state as it ends: encoded now when records came after the last
    /// checkpoint taken, or else the one in flight, once finished.
    private func writeFinalCheckpoint() {
        checkpoints.waitUntilEncoded()
        let encoded = checkpoints.takeEncoded()
        let (healthy, latest): (Bool, HookLogState?) = live.withLock { live in
            guard live.failure == nil else { return (false, nil) }
            guard live.state.lastSequence != live.checkpointSequence else { return (true, nil) }
            live.checkpointSequence = live.state.lastSequence
            return (true, live.state)
        }
        guard healthy else { return }
        let checkpoint = if let latest { try? Checkpoint(state: latest).encoded() } else { encoded }
        if let checkpoint { try? write([], checkpoint: checkpoint) }
    }
}
