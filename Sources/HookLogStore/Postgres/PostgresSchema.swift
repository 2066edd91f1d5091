import HookLogCore
import Logging
import PostgresNIO

/// The tables of a PostgreSQL log, created and migrated when a log is opened (docs/postgres.md):
///
/// - `hooklog_records`: the log, one row per record, by sequence: its time and its bytes, encoded as in the data
///   directory (``RecordCodec``), so one format reads back anywhere;
/// - `hooklog_index`: the query indexes, one row per name a record is listed under (webhook, event, workspace,
///   delivery, idempotency key, queue change), as the data directory's named indexes list them;
/// - `hooklog_head`: one row, the last sequence (`last_sequence`). Every append locks it, folds what other nodes
///   appended since its node last looked, decides, and moves it in the same transaction, so sequences stay one
///   gap-free order for the whole fleet;
/// - `hooklog_partitions`: the 64 partitions' leases (``Partition``): each one's owner, the epoch its owner took it
///   at, and when its lease ends, on the database's clock (``PartitionLeases``);
/// - `hooklog_nodes`: the fleet's nodes, each with the address it is reached at and when it last renewed;
/// - `hooklog_sessions` and `hooklog_secrets`: the dashboard's sessions, by their tokens' hashes, and its forms' CSRF
///   key, which every node shares (``PostgresSessions``);
/// - `hooklog_base`: once the log has been compacted, the base snapshot (``BaseSnapshot``): the state right after the
///   last `HistoryCompacted`, which opening folds the records after it onto;
/// - `hooklog_schema`: the version of these tables.
///
/// Version 1 (a single writer, fenced by an epoch on the head) migrates to version 2 on start: the head's epoch goes,
/// which refuses every appends of a version-1 server still running, and the leases come. Version 3 adds the base and
/// an index of `hooklog_index` by sequence, by which compaction removes a record's rows, and renames the head's
/// column, which refuses every append and read of a version-2 server still running: such a server neither knows that
/// records may be gone nor folds from a base.
enum PostgresSchema {
    /// The version this build creates and reads.
    static let version: Int32 = 3

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
            if let found, found > version { throw PostgresLogError.newerSchema(found) }
            guard found != version else { return }
            let steps = switch found {
            case nil: versionOne + versionTwo + versionThree
            case 1?: versionTwo + versionThree
            default: versionThree
            }
            for statement in steps {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
            try await connection.query("DELETE FROM hooklog_schema", logger: logger)
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

    /// The tables of version 1, which a new database gets before version 2's steps.
    static let versionOne = [
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

    /// The steps from version 1 to version 2.
    static let versionTwo = [
        "ALTER TABLE hooklog_head DROP COLUMN epoch",
        """
        CREATE TABLE hooklog_partitions (
            partition smallint PRIMARY KEY CHECK (partition >= 0 AND partition < \(Partition.count)),
            owner text,
            epoch bigint NOT NULL DEFAULT 0,
            lease_until timestamptz NOT NULL DEFAULT '-infinity'
        )
        """,
        "INSERT INTO hooklog_partitions (partition) SELECT generate_series(0, \(Partition.count - 1))",
        """
        CREATE TABLE hooklog_nodes (
            node text PRIMARY KEY,
            url text,
            seen_at timestamptz NOT NULL
        )
        """,
        """
        CREATE TABLE hooklog_sessions (
            token_hash bytea PRIMARY KEY,
            workspace text NOT NULL,
            key_hash bytea NOT NULL,
            opened_at bigint NOT NULL,
            expires_at bigint NOT NULL,
            last_used_at bigint NOT NULL
        )
        """,
        "CREATE INDEX hooklog_sessions_by_key ON hooklog_sessions (key_hash, opened_at)",
        "CREATE INDEX hooklog_sessions_by_use ON hooklog_sessions (last_used_at)",
        "CREATE TABLE hooklog_secrets (name text PRIMARY KEY, value bytea NOT NULL)",
    ]

    /// The steps from version 2 to version 3.
    private static let versionThree = [
        "ALTER TABLE hooklog_head RENAME COLUMN sequence TO last_sequence",
        "CREATE INDEX hooklog_index_by_sequence ON hooklog_index (sequence)",
        """
        CREATE TABLE hooklog_base (
            only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
            sequence bigint NOT NULL,
            snapshot bytea NOT NULL
        )
        """,
    ]
}
