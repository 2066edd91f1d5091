public import HookLogCore
public import Logging
import PostgresNIO

/// The log in a PostgreSQL database (docs/postgres.md): the same records, encoded the same way, with the same indexes
/// and queries as a data directory's ``LogStore``, behind the same ``EventLog``.
///
/// Opening it creates or migrates the tables (``PostgresSchema``) and folds every record into the writer's state. Its
/// ``PostgresAppender`` group-commits, and a caller's `await` returns once the transaction has committed; its
/// ``queries`` read committed records from the database, so any process can serve them. Several nodes may append
/// to one log: each folds what the others commit, as the database announces it (`LISTEN hooklog_commits`, and a
/// look every second should an announcement be lost). A node of a fleet (``Options/fleet``) holds leases on
/// partitions (``PartitionLeases``) and delivers their webhooks only.
///
/// Its history is compacted as a data directory's is (``compact(before:at:spread:)``): opening folds the records after
/// the base snapshot onto it. What the data directory has that it does not have yet: checkpoints (opening folds every
/// record after the base), queue windows (every queued delivery is kept in RAM) and an archive of what compaction
/// removes.
public final class PostgresLog: EventLog {
    /// How a log is opened.
    public struct Options: Sendable {
        /// The rules' numbers; the error window shapes the projections.
        public var policy: DeliveryPolicy = .standard
        /// How long one commit or one read waits for the database before it is refused as unavailable.
        public var deadline: Duration = PostgresDeadline.standardLimit
        /// How this node takes part in the fleet, when it delivers: it holds leases on partitions and records the
        /// outcomes of their deliveries only. Nil for a process that only appends.
        public var fleet: FleetSettings?

        /// The defaults.
        public init() {}
    }

    /// The log's queries, read from the database.
    public var queries: any LogQueries { postgresQueries }
    let postgresQueries: PostgresQueries
    let pool: PostgresPool
    let appender: PostgresAppender
    private let appenderTask: Task<Void, Never>
    private let leases: PartitionLeases?
    /// The fleet's forwarding secret, in hex; nil unless the node is a fleet's.
    public let forwardingToken: String?
    /// What keeps the leases and follows the other nodes' commits, cancelled at closing.
    private let background: Task<Void, Never>
    private let published: PublishedState
    private let feed: CommitFeed

    /// Opens the log at `location`, signing in with `password`: checks that the database can be reached, creates or
    /// migrates its tables, folds the log, and, for a node of a fleet, takes its first leases.
    public static func open(
        _ location: PostgresLocation, password: String?, options: Options = Options(), logger: Logger
    ) async throws -> PostgresLog {
        let pool = try await PostgresPool.start(location, password: password, logger: logger)
        let client = pool.client
        do {
            try await PostgresSchema.migrate(client, logger: logger)
            let queries = PostgresQueries(client: client, logger: logger, deadline: PostgresDeadline(limit: options.deadline))
            let state = try await queries.foldedState(policy: options.policy)
            let leases = options.fleet.map { PartitionLeases(client: client, settings: $0, logger: logger) }
            var forwardingToken: String?
            if leases != nil {
                let secret = try await client.withConnection { connection in
                    try await PostgresSecrets.secret(named: "forwarding", on: connection, logger: logger)
                }
                forwardingToken = secret.map { String(UInt16($0) | 0x100, radix: 16).dropFirst() }.joined()
            }
            try await leases?.renew()
            return PostgresLog(
                pool: pool, queries: queries, leases: leases, forwardingToken: forwardingToken, state: state, logger: logger)
        } catch {
            await pool.close()
            throw error
        }
    }

    private init(
        pool: PostgresPool, queries: PostgresQueries, leases: PartitionLeases?, forwardingToken: String?,
        state: HookLogState, logger: Logger
    ) {
        self.pool = pool
        self.leases = leases
        self.forwardingToken = forwardingToken
        postgresQueries = queries
        published = PublishedState(state)
        let feed = CommitFeed()
        self.feed = feed
        let appender = PostgresAppender(
            client: pool.client, queries: queries, leases: leases, state: state, published: published, feed: feed,
            logger: logger)
        self.appender = appender
        appenderTask = Task { await appender.run() }
        background = Task { [client = pool.client] in
            await withDiscardingTaskGroup { group in
                if let leases { group.addTask { await leases.run() } }
                group.addTask { await Self.listen(on: client, for: appender, logger: logger) }
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .seconds(1))
                        appender.followOthers(upTo: nil)
                    }
                }
            }
        }
    }

    /// Tells `appender` of every head another node's commit announces, on a connection of its own, until cancelled;
    /// a connection lost is made again a second later, and the appender looks for what it missed meanwhile.
    private static func listen(on client: PostgresClient, for appender: PostgresAppender, logger: Logger) async {
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: "hooklog_commits") { announcements in
                        appender.followOthers(upTo: nil)
                        for try await announcement in announcements {
                            appender.followOthers(upTo: UInt64(announcement.payload))
                        }
                    }
                }
            } catch {
                logger.debug("the log's announcements are not heard: \(error)")
            }
            try? await Task.sleep(for: .seconds(1))
        }
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

    /// Stops taking writes, commits what is queued, lets go of this node's leases for the other nodes to take at
    /// once, and closes the connections; closing a closed log does nothing.
    public func close() async {
        await appender.queue.close()
        await appenderTask.value
        background.cancel()
        await background.value
        await leases?.release()
        leases?.changes.finish()
        await pool.close()
    }

    public var fleet: FleetStanding? {
        leases?.standing
    }

    /// Asks the database for its head and, when this node has not folded that far, has the appender follow and waits
    /// until it has, up to the read deadline.
    public func catchUp() async throws {
        let head = try await postgresQueries.lastSequence()
        guard published.withState(\.lastSequence) < head else { return }
        appender.followOthers(upTo: head)
        let deadline = ContinuousClock.now.advanced(by: postgresQueries.deadline.limit ?? PostgresDeadline.standardLimit)
        while published.withState(\.lastSequence) < head {
            guard ContinuousClock.now < deadline else {
                throw StoreError.unavailable("this node has not folded the fleet's records up to \(head) in time")
            }
            try await Task.sleep(for: .milliseconds(1))
        }
    }

    public func forwardingAddress(for workspace: WorkspaceID) -> String? {
        leases?.forwardingAddress(for: Partition(of: workspace))
    }

    /// The sessions in the database, for a fleet's node: every node knows them.
    public var sharedSessions: (any SharedSessions)? {
        guard leases != nil else { return nil }
        return PostgresSessions(client: pool.client, deadline: postgresQueries.deadline, logger: postgresQueries.logger)
    }

    public var deliveringPartitions: Set<Partition>? {
        leases?.delivering
    }

    public func deliveringChanges() -> AsyncStream<Set<Partition>> {
        leases?.changes.subscribe() ?? AsyncStream { $0.finish() }
    }

    /// 0: the database's free space is the database's to tell.
    public func reusableBytes() throws -> UInt64 {
        0
    }
}
