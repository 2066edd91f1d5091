import Logging
import PostgresNIO

/// The connections of one process to a PostgreSQL log's database: postgres-nio's pool, run in a task of its own until
/// ``close()``, made only once one connection has signed in (``PostgresReachability``).
struct PostgresPool: Sendable {
    let client: PostgresClient
    private let task: Task<Void, Never>

    /// Checks that `location` answers and takes `password`, then starts a pool to it.
    static func start(_ location: PostgresLocation, password: String?, logger: Logger) async throws -> PostgresPool {
        try await PostgresReachability.check(location, password: password, logger: logger)
        // The pool tells each failed connection attempt, and warns of a lease asked for before its run task has
        // started (which waits for it); the log says once what a failure means for writes.
        var poolLogger = logger
        poolLogger.logLevel = max(logger.logLevel, .error)
        var configuration = try location.clientConfiguration(password: password)
        configuration.options.additionalStartupParameters = sessionSettings
        let client = PostgresClient(configuration: configuration, backgroundLogger: poolLogger)
        return PostgresPool(client: client, task: Task { await client.run() })
    }

    /// What each session asks the server for. Its transactions read what committed before each statement (`READ
    /// COMMITTED`, whatever the database's default): an append or a compaction's removal that waited for the head's
    /// lock then sees what the one before it wrote. And the server, too, gives up on work nobody waits for: a lock not
    /// granted within the deadline is an error rather than a wait (a writer taken over while its transaction hung);
    /// a transaction left open without a statement is ended, which frees the head row when its client vanished
    /// without closing the connection; and a client that stopped answering is found by TCP keepalives within about
    /// ten seconds instead of the system's two hours.
    static let sessionSettings = [
        ("default_transaction_isolation", "read committed"),
        ("lock_timeout", "5s"),
        ("idle_in_transaction_session_timeout", "10s"),
        ("tcp_keepalives_idle", "5"),
        ("tcp_keepalives_interval", "2"),
        ("tcp_keepalives_count", "3"),
    ]

    /// Lifts, for the transaction under way on `connection`, the timeouts ``sessionSettings`` and the role may set: for
    /// a copy, whose transaction waits on a data directory between its statements and may fold the whole log in one.
    static func waitAsLongAsNeeded(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("SET LOCAL idle_in_transaction_session_timeout = 0", logger: logger)
        try await connection.query("SET LOCAL statement_timeout = 0", logger: logger)
    }

    /// Closes every connection and returns once the pool has stopped.
    func close() async {
        task.cancel()
        await task.value
    }
}
