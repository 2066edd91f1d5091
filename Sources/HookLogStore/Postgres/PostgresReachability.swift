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

    /// What went wrong, in the server's words when it said something, else the network's.
    static func reason(of error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let message = error.serverInfo?[.message] { return message }
        if let underlying = error.underlying { return "\(underlying)" }
        return "\(error.code)"
    }
}
