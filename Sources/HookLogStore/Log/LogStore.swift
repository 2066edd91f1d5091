public import HookLogCore

/// The append-only log of a data directory, its query indexes, and the projections folded from it.
///
/// It is made of four parts, each in its own file: the ``LogWriter``, one thread that decides, folds and
/// **group-commits** (a caller's `await` returns only once its records are durable); the ``PublishedState`` readers
/// see, which only ever holds durable records; the ``CommitFeed`` of durable commits; and the ``Checkpointer``, which
/// encodes snapshots of the state off the writer's path. Commands are decided against the writer's own state by
/// ``Decider``, so two commands never decide on the same stale state, and a repeated ingest request is answered
/// there too (``Idempotency``), so two identical requests never both append.
///
/// Only one process may hold a store open on a directory; readers in other processes use ``LogReader``. Close it
/// with ``close()``, or run it as a service (``EventLog/run()``), which closes it on graceful shutdown.
public final class LogStore: EventLog {
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
        /// Whether readers' view of the state (``LogStore/withState(_:)``) follows every commit. A store that only its
        /// writer uses (`hooklog simulate`) goes without, which saves most of a second copy of the state: its
        /// `withState` then shows the state as the store was opened.
        public var publishesState = true
        /// Where compaction writes the records it removes, as segment files (docs/rules.md §3.7); nil archives nothing.
        public var archive: String?
        /// The search index's runs hold 2^this records (``ValueIndex``); it is kept in the directory when it gets its
        /// search index, and ignored when the directory has one. Tests make it small, to search across runs.
        public var searchRunBits: UInt8 = ValueIndex.standardRunBits

        /// The defaults.
        public init() {}
    }

    /// The most deliveries one commit brings, but for a single event that fans out to more: a request beyond it is
    /// written over several commits, between which other requests are written (``CommitBudget``).
    public static var deliveriesPerCommit: Int { CommitBudget.deliveries }

    /// Reads the log and its indexes.
    public let reader: LogReader
    /// The log's queries: its ``reader``.
    public var queries: any LogQueries { reader }
    private let writer: LogWriter
    private let published: PublishedState
    private let feed = CommitFeed()
    /// Where compaction archives what it removes, if anywhere.
    let archive: ArchiveWriter?

    /// Opens (creating if needed, mode 0700) the data directory's log for writing and folds it into the writer's state,
    /// starting from the last checkpoint.
    public init(directory: String, options: Options = Options()) throws {
        try DataDirectory.create(at: directory)
        let directoryLock = try DataDirectoryLock(directory: directory)
        let databases = try LogDatabases(
            directory: directory, readOnly: false, mapSize: options.mapSize, valueRunBits: options.searchRunBits)
        reader = LogReader(databases: databases)
        archive = options.archive.map(ArchiveWriter.init(directory:))
        let (state, checkpointSequence) = try Checkpoint.restore(
            from: reader, policy: options.policy, queueWindow: options.queueWindow)
        published = PublishedState(state)
        writer = LogWriter(
            databases: databases, directoryLock: directoryLock, state: state, lastCheckpoint: checkpointSequence,
            checkpointInterval: options.checkpointInterval, published: options.publishesState ? published : nil,
            feed: feed)
        writer.start()
    }

    /// Reads the state as of the last durable commit: every record it reflects is on disk, and a caller whose
    /// command returned sees its records here. Queues show their head and count (``HookLogState/readerView()``).
    /// Return what you need from `body` rather than the whole state, which would make the next publish copy it.
    /// A store opened without ``Options/publishesState`` shows the state as it was opened.
    public func withState<T>(_ body: (HookLogState) throws -> T) rethrows -> T {
        try published.withState(body)
    }

    /// The writer's working state, durable or not, with whole queue windows: for tests that compare it with a
    /// rebuilt one.
    var writerState: HookLogState {
        writer.workingState
    }

    /// Decides each command against the writer's state at `now`, appends the records of those accepted, and returns,
    /// once they are durable, each command's records or the reason it was refused. `commands` are one API request;
    /// one whose events fan out to more than ``deliveriesPerCommit`` deliveries is written over several commits.
    ///
    /// Repeats append nothing (docs/rules.md §4, `POST /v1/events`): an event whose client-supplied id its workspace
    /// sent before, in the log or earlier in the same group commit, gets its original `EventReceived` record as its
    /// result; a request whose events carry an `Idempotency-Key` an earlier request of the workspace used gets, as its
    /// first result, every `EventReceived` record carrying that key, in order, and empty results for the rest; unless
    /// its first events are those records' events and it has more, when it resumes a request that stopped between
    /// its parts: those get their records, and only the rest is appended (``Idempotency/replay(of:)``).
    public func execute(_ commands: [Command], at now: Timestamp) async throws -> [Result<[LoggedRecord], DecisionError>] {
        try await writer.submit(.commands(commands, now))
    }

    /// Appends records decided elsewhere (the simulator), folds them into the writer's state, and returns them with
    /// their sequences once durable.
    public func append(_ records: [Record]) async throws -> [LoggedRecord] {
        try await writer.submit(.records(records))[0].get()
    }

    /// Runs `body` on the writer's working state, for a caller that decides and folds records itself (the simulator,
    /// which keeps no state of its own) and appends them with ``append(folded:)``. That caller must be the store's
    /// only writer, and fold nothing more while an append of its records is under way.
    func withLiveState<T: Sendable>(_ body: (inout LiveState<LogReader>) throws -> T) throws -> T {
        try writer.withLiveState(body)
    }

    /// Appends records ``withLiveState(_:)`` folded, and returns once they are durable.
    func append(folded writes: [PendingWrite]) async throws {
        _ = try await writer.submit(.folded(writes))
    }

    /// Why the log accepts no more records, once its writer has failed; nil while it can be written. The health
    /// check reports it.
    public var writerFailure: StoreError? {
        writer.failure
    }

    /// How many commands and records wait for the writer, not yet taken into a commit: a server answers 429 when
    /// this is more than it wants to queue.
    public var backlog: Int {
        writer.backlog
    }

    /// The records of every commit from now on, one element per commit, in sequence order. The stream ends
    /// when the store closes; a subscriber that stops iterating is forgotten.
    public func commits() -> AsyncStream<[LoggedRecord]> {
        feed.subscribe()
    }

    /// Bytes free inside the data file, which new records take before the file grows.
    public func reusableBytes() throws -> UInt64 {
        try reader.databases.environment.freePageBytes()
    }

    /// The state right after the last `HistoryCompacted` folded, once.
    func takeBase() -> HookLogState? {
        writer.takeBase()
    }

    /// Has the writer store a compaction's encoded base snapshot in its next group commit.
    func storeBase(_ encoded: [UInt8]) async throws {
        try await writer.storeBase(encoded)
    }

    /// Has the writer remove a compaction's chunk in its next group commit; says what it removed and kept.
    func removeChunk(_ chunk: CompactionChunk, since base: UInt64) async throws -> ChunkRemoval {
        try await writer.remove(chunk, since: base)
    }

    /// Stops taking appends, commits what is queued, writes a checkpoint, closes the LMDB environment and releases
    /// the data directory. Reads through ``reader`` fail from then on; ``withState(_:)`` still answers. Closing a
    /// closed store does nothing.
    public func close() async {
        await writer.close()
    }
}
