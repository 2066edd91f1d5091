import HookLogCore
import Logging
import PostgresNIO

/// Whether a PostgreSQL log's database answers and takes the sign-in, checked with one connection before a pool is
/// made, so that a wrong address, password or database is one sentence at start rather than a pool that retries.
enum PostgresReachability {
    /// Connects to `location` with `password` and closes again; a failure throws ``PostgresLogError/unreachable(_:)``
    /// with what the server or the network said.
    static func check(_ location: PostgresLocation, password: String?, logger: Logger) async throws {
        do {
            let connection = try await PostgresConnection.connect(
                configuration: try location.connectionConfiguration(password: password), id: 0, logger: logger)
            try await connection.close()
        } catch let error as PostgresLocationError {
            throw error
        } catch {
            throw PostgresLogError.unreachable("\(location.address): \(reason(of: error))")
        }
    }

    /// `error` as the caller of a log's read or commit is told it: HookLog's own errors (a data directory's, too: a copy
    /// writes one) as they are; any other, a
    /// failure of the database, of the connection to it or of the pool (bare, or in a transaction's error), as
    /// ``StoreError/unavailable(_:)`` saying what failed (`failed`, e.g. "the log's database failed a read") and why.
    static func refusal(of error: any Error, _ failed: String) -> any Error {
        let error = cause(of: error)
        switch error {
        case is StoreError, is PostgresLogError, is DecodingFailure, is CancellationError, is LMDBError, is LogMigrationError, is DataDirectoryError: return error
        default: return StoreError.unavailable("\(failed): \(reason(of: error))")
        }
    }

    /// What went wrong, in the server's words when it said something, else the network's.
    static func reason(of error: any Error) -> String {
        let error = cause(of: error)
        guard let error = error as? PSQLError else { return "\(error)" }
        if let message = error.serverInfo?[.message] { return message }
        if let underlying = error.underlying { return "\(underlying)" }
        return "\(error.code)"
    }

    /// The error a transaction's error wraps: its body's, else its `BEGIN`'s or its `COMMIT`'s.
    static func cause(of error: any Error) -> any Error {
        guard let transaction = error as? PostgresTransactionError else { return error }
        return transaction.closureError ?? transaction.beginError ?? transaction.commitError ?? error
    }
}
