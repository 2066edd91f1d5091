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
        // The pool tells each failed connection attempt; the log says once what it means for writes.
        var poolLogger = logger
        poolLogger.logLevel = max(logger.logLevel, .warning)
        let client = PostgresClient(configuration: try location.clientConfiguration(password: password), backgroundLogger: poolLogger)
        return PostgresPool(client: client, task: Task { await client.run() })
    }

    /// Closes every connection and returns once the pool has stopped.
    func close() async {
        task.cancel()
        await task.value
    }
}
