import HookLogCore
import Logging
import NIOCore
import PostgresNIO

/// Records a compaction pass of a PostgreSQL log found removable (``PostgresCompactionSweep``), and their removal.
struct PostgresCompactionChunk: Sendable {
    /// One event's history: every record of it up to the base, and the names the index lists the event and its
    /// deliveries under.
    struct History: Sendable {
        var sequences: [UInt64] = []
        var event: IndexedName
        var deliveries: Set<IndexedName> = []
        /// The webhooks its deliveries went to.
        var targets: [WebhookID] = []
    }

    /// Records that belong to no event.
    var alone: [UInt64] = []
    /// The histories of the events that go, by the event's sequence.
    var histories: [UInt64: History] = [:]

    /// How many records it removes if no event of it was queued again.
    var count: Int {
        alone.count + histories.values.reduce(0) { $0 + $1.sequences.count }
    }

    /// Removes the chunk's records and their index rows in one transaction on `connection`, but the histories of the
    /// events queued again after `base` (a redelivery lists a record under the event, a recovery under its
    /// deliveries), which stay; returns how many records went and which events stayed.
    ///
    /// The transaction locks the head first, as an append does: an append that sends an event again either committed
    /// before, and its index rows are seen here, or waits and then finds the event gone (``PostgresAppender``).
    func remove(since base: UInt64, on connection: PostgresConnection, logger: Logger) async throws -> (removed: Int, kept: Set<UInt64>) {
        try await connection.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT last_sequence FROM hooklog_head FOR UPDATE", logger: logger)
            let requeued = try await requeuedNames(after: base, on: connection, logger: logger)
            let kept = Set(histories.filter { _, history in
                requeued.contains(history.event) || !history.deliveries.isDisjoint(with: requeued)
            }.keys)
            let sequences = (alone + histories.filter { !kept.contains($0.key) }.values.flatMap(\.sequences))
                .map { Int64(clamping: $0) }
            if !sequences.isEmpty {
                try await connection.query("DELETE FROM hooklog_index WHERE sequence = ANY(\(sequences))", logger: logger)
                try await connection.query("DELETE FROM hooklog_records WHERE sequence = ANY(\(sequences))", logger: logger)
            }
            return (sequences.count, kept)
        }
    }

    /// Of the chunk's events and deliveries, the names the index lists a record under after `base`.
    private func requeuedNames(after base: UInt64, on connection: PostgresConnection, logger: Logger) async throws -> Set<IndexedName> {
        let events = Set(histories.values.map(\.event))
        let deliveries = Set(histories.values.flatMap(\.deliveries))
        guard !events.isEmpty else { return [] }
        let rows = try await connection.query(
            """
            SELECT DISTINCT name FROM hooklog_index WHERE sequence > \(Int64(clamping: base)) AND (
                (kind = \(Int16(NamedIndex.Kind.events.rawValue)) AND name = ANY(\(events.map { ByteBuffer(bytes: $0.bytes) })::bytea[]))
                OR (kind = \(Int16(NamedIndex.Kind.deliveries.rawValue))
                    AND name = ANY(\(deliveries.map { ByteBuffer(bytes: $0.bytes) })::bytea[])))
            """, logger: logger)
        var names: Set<IndexedName> = []
        for try await name in rows.decode(ByteBuffer.self) { names.insert(IndexedName(bytes: Array(buffer: name))) }
        return names
    }
}
