public import HookLogCore
public import Logging
import PostgresNIO

/// The log in a PostgreSQL database (docs/postgres.md): the same records, encoded the same way, with the same indexes
/// and queries as a data directory's ``LogStore``, behind the same ``EventLog``.
///
/// Opening it creates or migrates the tables (``PostgresSchema``), takes the log over for writing by moving its epoch
/// on (a writer opened earlier is refused from then on), and folds every record into the writer's state. Its
/// ``PostgresAppender`` group-commits, and a caller's `await` returns once the transaction has committed; its
/// ``queries`` read committed records from the database, so any process can serve them.
///
/// What the data directory has that it does not have yet: checkpoints (opening folds the whole log), queue windows
/// (every queued delivery is kept in RAM) and compaction.
public final class PostgresLog: EventLog {
    /// How a log is opened.
    public struct Options: Sendable {
        /// The rules' numbers; the error window shapes the projections.
        public var policy: DeliveryPolicy = .standard
        /// How long one commit or one read waits for the database before it is refused as unavailable.
        public var deadline: Duration = PostgresDeadline.standardLimit
        /// Whether the log must hold no record yet (a copy's target): checked before the log is taken over, so that a
        /// log a server writes is left alone.
        public var mustBeEmpty = false

        /// The defaults.
        public init() {}
    }

    /// The log's queries, read from the database.
    public var queries: any LogQueries { postgresQueries }
    private let postgresQueries: PostgresQueries
    private let pool: PostgresPool
    private let appender: PostgresAppender
    private let appenderTask: Task<Void, Never>
    private let published: PublishedState
    private let feed: CommitFeed

    /// Opens the log at `location`, signing in with `password`: checks that the database can be reached, creates or
    /// migrates its tables, takes the log over for writing and folds it.
    public static func open(
        _ location: PostgresLocation, password: String?, options: Options = Options(), logger: Logger
    ) async throws -> PostgresLog {
        let pool = try await PostgresPool.start(location, password: password, logger: logger)
        let client = pool.client
        do {
            try await PostgresSchema.migrate(client, logger: logger)
            let queries = PostgresQueries(client: client, logger: logger, deadline: PostgresDeadline(limit: options.deadline))
            if options.mustBeEmpty {
                let held = try await queries.lastSequence()
                guard held == 0 else { throw PostgresLogError.notEmpty(held) }
            }
            let epoch = try await takeOver(client, logger: logger)
            let (state, headEpoch) = try await queries.foldedState(policy: options.policy)
            guard headEpoch == epoch else { throw PostgresLogError.takenOver }
            return PostgresLog(pool: pool, queries: queries, epoch: epoch, state: state, logger: logger)
        } catch {
            await pool.close()
            throw error
        }
    }

    private init(pool: PostgresPool, queries: PostgresQueries, epoch: Int64, state: HookLogState, logger: Logger) {
        self.pool = pool
        postgresQueries = queries
        published = PublishedState(state)
        let feed = CommitFeed()
        self.feed = feed
        let appender = PostgresAppender(
            client: pool.client, queries: queries, epoch: epoch, state: state, published: published, feed: feed, logger: logger)
        self.appender = appender
        appenderTask = Task { await appender.run() }
    }

    /// Moves the log's epoch on, which refuses every earlier writer's appends from then on, and returns it.
    private static func takeOver(_ client: PostgresClient, logger: Logger) async throws -> Int64 {
        let rows = try await client.query("UPDATE hooklog_head SET epoch = epoch + 1 RETURNING epoch", logger: logger)
        for try await epoch in rows.decode(Int64.self) { return epoch }
        throw PostgresLogError.unsupported("a log whose head row is missing")
    }

    public func execute(_ commands: [Command], at now: Timestamp) async throws -> [Result<[LoggedRecord], DecisionError>] {
        try await appender.queue.submit(.commands(commands, now))
    }

    /// Appends records decided elsewhere (a migration's copy), folds them into the writer's state, and returns them
    /// with their sequences once committed.
    public func append(_ records: [Record]) async throws -> [LoggedRecord] {
        try await appender.queue.submit(.records(records))[0].get()
    }

    public func withState<T>(_ body: (HookLogState) throws -> T) rethrows -> T {
        try published.withState(body)
    }

    public func commits() -> AsyncStream<[LoggedRecord]> {
        feed.subscribe()
    }

    public var writerFailure: StoreError? {
        appender.failure
    }

    public var backlog: Int {
        appender.queue.backlog
    }

    /// Stops taking writes, commits what is queued, and closes the connections; closing a closed log does nothing.
    public func close() async {
        await appender.queue.close()
        await appenderTask.value
        await pool.close()
    }

    /// Refused: a PostgreSQL log is not compacted yet (`hooklog serve` keeps it whole).
    public func compact(before cutoff: Timestamp, at now: Timestamp, spread: Duration) async throws -> CompactionReport? {
        throw PostgresLogError.unsupported("compaction")
    }

    /// 0: the database's free space is the database's to tell.
    public func reusableBytes() throws -> UInt64 {
        0
    }
}
