import HookLogCore
import Logging
import PostgresNIO

/// Writes a copy of a log into a PostgreSQL database that holds none (``LogMigration``), in one transaction: each
/// record at the sequence its log gave it, listed under the names the source lists it under, the base snapshot if the
/// source was cut, and the head at the last record. A copy that fails leaves the database as empty as it found it.
enum PostgresRestore {
    /// Creates or migrates the tables of the database at `location`, checks that it holds no log, and writes into it
    /// `base` (the source's base snapshot with every queue whole; nil for a log never cut) and the records `pages`
    /// gives, page after page until an empty one. Returns how many records it wrote and the last one's sequence.
    static func write(
        to location: PostgresLocation, password: String?, base: HookLogState?, logger: Logger,
        pages: @Sendable () throws -> [IndexedRecord]
    ) async throws -> CopiedLog {
        let stored = try base.map { (sequence: $0.lastSequence, encoded: try BaseSnapshot(state: $0).encoded()) }
        let pool = try await PostgresPool.start(location, password: password, logger: logger)
        do {
            let held = try await records(in: pool.client, logger: logger)
            guard held == 0 else { throw PostgresLogError.notEmpty(held) }
            try await PostgresSchema.migrate(pool.client, logger: logger)
            let copied = try await pool.client.withConnection { connection in
                try await write(base: stored, pages: pages, on: connection, logger: logger)
            }
            await pool.close()
            return copied
        } catch {
            await pool.close()
            throw PostgresReachability.refusal(of: error, "the copy's database failed a write")
        }
    }

    /// The last sequence of the log the database holds, read before its tables are migrated (a database that holds a
    /// log is refused before anything in it changes); 0 when it holds none.
    private static func records(in client: PostgresClient, logger: Logger) async throws -> UInt64 {
        guard let version = try await PostgresSchema.version(in: client, logger: logger) else { return 0 }
        guard version <= PostgresSchema.version else { throw PostgresLogError.newerSchema(version) }
        let rows = try await client.query("SELECT coalesce(max(sequence), 0) FROM hooklog_records", logger: logger)
        for try await last in rows.decode(Int64.self) { return UInt64(last) }
        return 0
    }

    /// Writes the copy in one transaction on `connection`: `base` is the base snapshot's sequence and stored form.
    private static func write(
        base: (sequence: UInt64, encoded: [UInt8])?, pages: @Sendable () throws -> [IndexedRecord],
        on connection: PostgresConnection, logger: Logger
    ) async throws -> CopiedLog {
        try await connection.query("BEGIN", logger: logger)
        do {
            try await PostgresPool.waitAsLongAsNeeded(on: connection, logger: logger)
            let head = try await connection.query("SELECT last_sequence FROM hooklog_head FOR UPDATE", logger: logger)
            let held = try await head.collect().first?.decode(Int64.self) ?? 0
            guard held == 0 else { throw PostgresLogError.notEmpty(UInt64(held)) }
            var copied = CopiedLog(records: 0, lastSequence: 0, baseSequence: base?.sequence ?? 0, differences: [])
            while true {
                let page = try pages()
                guard let last = page.last else { break }
                var rows = PostgresRecordRows()
                for record in page {
                    rows.add(record.entry, bytes: RecordCodec.encode(record.entry.record), names: { record.names[$0] ?? [] })
                }
                try await rows.insert(on: connection, logger: logger)
                copied.records += page.count
                copied.lastSequence = last.entry.sequence
            }
            if let base {
                try await PostgresLog.storeBase(at: base.sequence, encoded: base.encoded, on: connection, logger: logger)
            }
            try await connection.query(
                "UPDATE hooklog_head SET last_sequence = \(Int64(clamping: copied.lastSequence))", logger: logger)
            try await connection.query("COMMIT", logger: logger)
            return copied
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }
}
