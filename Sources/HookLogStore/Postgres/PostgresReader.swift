public import HookLogCore
public import Logging

/// A PostgreSQL log opened for reading only: its queries and nothing else, so that it neither appends nor joins the
/// fleet of servers that write the log (no leases, no folding). Its reads have no deadline: a command that reads a
/// whole log waits as long as that takes. Close it with ``close()``.
public final class PostgresReader: Sendable {
    /// The log's queries.
    public let queries: PostgresQueries
    private let pool: PostgresPool

    /// Opens the log at `location`, signing in with `password`; a database with no HookLog tables, or with a newer
    /// HookLog's, is refused.
    public static func open(_ location: PostgresLocation, password: String?, logger: Logger) async throws -> PostgresReader {
        let pool = try await PostgresPool.start(location, password: password, logger: logger)
        do {
            guard let version = try await PostgresSchema.version(in: pool.client, logger: logger) else {
                throw PostgresLogError.noLog(location.address)
            }
            guard version <= PostgresSchema.version else { throw PostgresLogError.newerSchema(version) }
            return PostgresReader(queries: PostgresQueries(client: pool.client, logger: logger, deadline: .none), pool: pool)
        } catch {
            await pool.close()
            throw error
        }
    }

    private init(queries: PostgresQueries, pool: PostgresPool) {
        self.queries = queries
        self.pool = pool
    }

    /// The log folded from its first record under `policy`, every queue whole.
    public func state(policy: DeliveryPolicy) async throws -> HookLogState {
        try await queries.foldedState(policy: policy)
    }

    /// Closes the connections.
    public func close() async {
        await pool.close()
    }
}
