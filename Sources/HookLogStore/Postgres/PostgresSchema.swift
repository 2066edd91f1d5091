import Logging
import PostgresNIO

/// The tables of a PostgreSQL log, created and migrated when a log is opened (docs/postgres.md):
///
/// - `hooklog_records`: the log, one row per record, by sequence: its time and its bytes, encoded as in the data
///   directory (``RecordCodec``), so one format reads back anywhere;
/// - `hooklog_index`: the query indexes, one row per name a record is listed under (webhook, event, workspace,
///   delivery, idempotency key, queue change), as the data directory's named indexes list them;
/// - `hooklog_head`: one row, the last sequence and the epoch of the writer that holds the log. Every append
///   moves the head from the sequence its writer folded to in the same transaction, and only with that writer's
///   epoch, so a writer that another has taken over from is refused by the database;
/// - `hooklog_schema`: the version of these tables.
enum PostgresSchema {
    /// The version this build creates and reads.
    static let version: Int32 = 1

    /// Creates the tables when the database has none, under a lock that makes two nodes starting together wait for
    /// each other; refuses a database that a newer build migrated.
    static func migrate(_ client: PostgresClient, logger: Logger) async throws {
        try await client.withTransaction(logger: logger) { connection in
            // One lock for every HookLog schema change: "hooklog" as a number.
            try await connection.query("SELECT pg_advisory_xact_lock(\(Int64(0x686F6F6B6C6F67)))", logger: logger)
            try await connection.query("CREATE TABLE IF NOT EXISTS hooklog_schema (version integer NOT NULL)", logger: logger)
            var found: Int32?
            for try await version in try await connection.query("SELECT version FROM hooklog_schema", logger: logger)
                .decode(Int32.self) {
                found = version
            }
            if let found {
                guard found <= version else { throw PostgresLogError.newerSchema(found) }
                return
            }
            for statement in versionOne {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
            try await connection.query("INSERT INTO hooklog_schema (version) VALUES (\(version))", logger: logger)
        }
    }

    /// The version of the tables in the database; nil when it has none of HookLog's.
    static func version(in client: PostgresClient, logger: Logger) async throws -> Int32? {
        let rows = try await client.query("SELECT to_regclass('hooklog_schema') IS NOT NULL", logger: logger)
        for try await exists in rows.decode(Bool.self) where !exists { return nil }
        for try await version in try await client.query("SELECT version FROM hooklog_schema", logger: logger).decode(Int32.self) {
            return version
        }
        return nil
    }

    private static let versionOne = [
        """
        CREATE TABLE hooklog_records (
            sequence bigint PRIMARY KEY,
            at bigint NOT NULL,
            record bytea NOT NULL
        )
        """,
        "CREATE INDEX hooklog_records_by_time ON hooklog_records (at, sequence)",
        """
        CREATE TABLE hooklog_index (
            kind smallint NOT NULL,
            name bytea NOT NULL,
            sequence bigint NOT NULL REFERENCES hooklog_records (sequence),
            PRIMARY KEY (kind, name, sequence)
        )
        """,
        """
        CREATE TABLE hooklog_head (
            only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
            sequence bigint NOT NULL,
            epoch bigint NOT NULL
        )
        """,
        "INSERT INTO hooklog_head (sequence, epoch) VALUES (0, 0)",
    ]
}
