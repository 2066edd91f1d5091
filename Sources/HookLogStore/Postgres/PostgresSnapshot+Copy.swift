import HookLogCore
import NIOCore
import PostgresNIO

/// The reads of a copy of a PostgreSQL log (``LogMigration``).
extension PostgresSnapshot {
    /// Up to `limit` records after sequence `after`, none after `through`, oldest first, each with the names the index
    /// lists it under.
    func indexedRecords(after: UInt64, through: UInt64, limit: Int) async throws -> [IndexedRecord] {
        let records = try await self.records(after: after, limit: limit).filter { $0.sequence <= through }
        guard let last = records.last else { return [] }
        let rows = try await connection.query(
            """
            SELECT sequence, kind, name FROM hooklog_index
            WHERE sequence > \(Int64(clamping: after)) AND sequence <= \(Int64(clamping: last.sequence))
            """, logger: logger)
        var names: [UInt64: [NamedIndex.Kind: Set<IndexedName>]] = [:]
        for try await (sequence, number, name) in rows.decode((Int64, Int16, ByteBuffer).self) {
            guard let kind = UInt8(exactly: number).flatMap(NamedIndex.Kind.init(rawValue:)) else {
                throw StoreError.writerFailed("the index lists record \(sequence) in an index of kind \(number), which this build does not know")
            }
            names[UInt64(sequence), default: [:]][kind, default: []].insert(IndexedName(bytes: Array(buffer: name)))
        }
        return try records.map { IndexedRecord(try $0.decoded(), names: names[$0.sequence] ?? [:]) }
    }

    /// The log as this snapshot sees it, folded from its base under `policy`, every queue whole.
    func foldedState(policy: DeliveryPolicy) async throws -> HookLogState {
        var state = try await startingState(policy: policy)
        try await forEachRecord(from: state.lastSequence + 1) { entry in state.evolve(entry, refillingFrom: PostgresFoldedLog()) }
        return state
    }
}
