import HookLogCore
import Logging
import NIOCore
import PostgresNIO

/// One consistent read of a PostgreSQL log: a read-only transaction at `REPEATABLE READ` on one connection, so that
/// every statement of a query sees the same commits, as a read transaction does in the data directory.
struct PostgresSnapshot {
    let connection: PostgresConnection
    let logger: Logger

    /// Runs `body` in a snapshot on `connection`. A `body` of one statement needs no transaction, which costs two round
    /// trips: one statement sees one snapshot by itself (`singleStatement`).
    static func read<T: Sendable>(
        on connection: PostgresConnection, logger: Logger, singleStatement: Bool = false,
        _ body: (PostgresSnapshot) async throws -> T
    ) async throws -> T {
        guard !singleStatement else { return try await body(PostgresSnapshot(connection: connection, logger: logger)) }
        try await connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
        do {
            let result = try await body(PostgresSnapshot(connection: connection, logger: logger))
            try await connection.query("COMMIT", logger: logger)
            return result
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }

    /// The sequence of the newest record; 0 for an empty log.
    func lastSequence() async throws -> UInt64 {
        let rows = try await connection.query("SELECT last_sequence FROM hooklog_head", logger: logger)
        for try await sequence in rows.decode(Int64.self) { return UInt64(sequence) }
        return 0
    }

    /// Up to `limit` records after sequence `after`, oldest first.
    func records(after: UInt64, limit: Int) async throws -> [EncodedRecord] {
        try await collect(connection.query(
            """
            SELECT sequence, record FROM hooklog_records WHERE sequence > \(Int64(clamping: after))
            ORDER BY sequence LIMIT \(Int64(limit))
            """, logger: logger))
    }

    /// The record at `sequence`, if there is one.
    func record(at sequence: UInt64) async throws -> EncodedRecord? {
        try await collect(connection.query(
            "SELECT sequence, record FROM hooklog_records WHERE sequence = \(Int64(clamping: sequence))", logger: logger)
        ).first
    }

    /// The records at `sequences`, oldest first; those the log does not hold are left out.
    func records(at sequences: [UInt64]) async throws -> [EncodedRecord] {
        guard !sequences.isEmpty else { return [] }
        return try await collect(connection.query(
            """
            SELECT sequence, record FROM hooklog_records WHERE sequence = ANY(\(sequences.map { Int64(clamping: $0) }))
            ORDER BY sequence
            """, logger: logger))
    }

    /// Up to `limit` of the records the index of `kind` lists under `name`, from sequence `start` on, oldest first; or
    /// back from it, newest first, when `reverse`.
    func records(
        listedUnder name: IndexedName, in kind: NamedIndex.Kind, from start: UInt64, reverse: Bool = false,
        limit: Int = .max
    ) async throws -> [EncodedRecord] {
        let (kind, name, start, limit) = (Int16(kind.rawValue), ByteBuffer(bytes: name.bytes), Int64(clamping: start), Int64(limit))
        let rows = if reverse {
            try await connection.query(
                """
                SELECT r.sequence, r.record FROM hooklog_index i JOIN hooklog_records r ON r.sequence = i.sequence
                WHERE i.kind = \(kind) AND i.name = \(name) AND i.sequence <= \(start) ORDER BY i.sequence DESC LIMIT \(limit)
                """, logger: logger)
        } else {
            try await connection.query(
                """
                SELECT r.sequence, r.record FROM hooklog_index i JOIN hooklog_records r ON r.sequence = i.sequence
                WHERE i.kind = \(kind) AND i.name = \(name) AND i.sequence >= \(start) ORDER BY i.sequence LIMIT \(limit)
                """, logger: logger)
        }
        return try await collect(rows)
    }

    /// The sequences the index of `kind` lists under `name` after sequence `after`, oldest first.
    func sequences(listedUnder name: IndexedName, in kind: NamedIndex.Kind, after: UInt64) async throws -> [UInt64] {
        let rows = try await connection.query(
            """
            SELECT sequence FROM hooklog_index WHERE kind = \(Int16(kind.rawValue)) AND name = \(ByteBuffer(bytes: name.bytes))
            AND sequence > \(Int64(clamping: after)) ORDER BY sequence
            """, logger: logger)
        var sequences: [UInt64] = []
        for try await sequence in rows.decode(Int64.self) { sequences.append(UInt64(sequence)) }
        return sequences
    }

    /// The sequence of the first record at or after `time`, or of the last at or before it when `before`.
    func sequence(at time: Timestamp, orBefore before: Bool) async throws -> UInt64? {
        let rows = if before {
            try await connection.query(
                "SELECT sequence FROM hooklog_records WHERE at <= \(time.milliseconds) ORDER BY at DESC, sequence DESC LIMIT 1",
                logger: logger)
        } else {
            try await connection.query(
                "SELECT sequence FROM hooklog_records WHERE at >= \(time.milliseconds) ORDER BY at, sequence LIMIT 1",
                logger: logger)
        }
        for try await sequence in rows.decode(Int64.self) { return UInt64(sequence) }
        return nil
    }

    /// Calls `body` with each record from sequence `start` on, in order, as the database streams them.
    func forEachRecord(from start: UInt64, _ body: (LoggedRecord) throws -> Void) async throws {
        let rows = try await connection.query(
            "SELECT sequence, record FROM hooklog_records WHERE sequence >= \(Int64(clamping: start)) ORDER BY sequence",
            logger: logger)
        for try await (sequence, bytes) in rows.decode((Int64, ByteBuffer).self) {
            try body(try EncodedRecord(sequence: UInt64(sequence), bytes: bytes).decoded())
        }
    }

    /// How many rows the index holds of each kind, for the records after sequence `after`.
    func indexRowCounts(after: UInt64 = 0) async throws -> [NamedIndex.Kind: Int] {
        let rows = try await connection.query(
            "SELECT kind, count(*) FROM hooklog_index WHERE sequence > \(Int64(clamping: after)) GROUP BY kind", logger: logger)
        var counts: [NamedIndex.Kind: Int] = [:]
        for try await (kind, count) in rows.decode((Int16, Int64).self) {
            guard let kind = UInt8(exactly: kind).flatMap(NamedIndex.Kind.init(rawValue:)) else { continue }
            counts[kind] = Int(count)
        }
        return counts
    }

    private func collect(_ rows: PostgresRowSequence) async throws -> [EncodedRecord] {
        var records: [EncodedRecord] = []
        for try await (sequence, bytes) in rows.decode((Int64, ByteBuffer).self) {
            records.append(EncodedRecord(sequence: UInt64(sequence), bytes: bytes))
        }
        return records
    }
}

/// A record as the database holds it: its sequence and its encoded bytes, decoded only when needed.
struct EncodedRecord: Sendable {
    let sequence: UInt64
    let bytes: ByteBuffer

    /// Whether the record creates deliveries, told from its header.
    var createsDeliveries: Bool {
        bytes.withUnsafeReadableBytes(RecordCodec.createsDeliveries)
    }

    /// The record, decoded.
    func decoded() throws -> LoggedRecord {
        try bytes.withUnsafeReadableBytes { bytes in
            LoggedRecord(sequence: sequence, record: try LogReader.decode(bytes, sequence))
        }
    }
}
