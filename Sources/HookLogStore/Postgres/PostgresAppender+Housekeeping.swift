import HookLogCore
import PostgresNIO
import Synchronization

/// A compaction's writes on a PostgreSQL log (docs/rules.md §3.7), which the appender makes between its group
/// commits, in transactions of their own.
extension PostgresAppender {
    /// The state right after the last `HistoryCompacted` this node appended, taken once by the compaction that
    /// asked for it.
    func takeBase() -> HookLogState? {
        live.withLock { live in
            defer { live.base = nil }
            return live.base
        }
    }

    /// Stores a compaction's encoded base snapshot, or removes a chunk's records and their index rows, once no
    /// commit is under way; answers `job` once its transaction committed.
    ///
    /// A base replaces the stored one only when it is later, should two passes ever overlap. A removal locks the
    /// head, as an append does, and folds what other nodes appended before it: so it settles against every record
    /// that could have queued one of its events again since its base (``LiveState/settle(_:)``), and no append can
    /// queue one while it deletes.
    func keepHouse(_ job: Housekeeping) async {
        let generation = stale.withLock(\.generation)
        do {
            let settled = try await queries.deadline.run(on: client) { connection in
                try await connection.withTransaction(logger: self.logger) { connection in
                    try await self.write(job, generation: generation, on: connection)
                }
            }
            settled.succeed()
        } catch {
            stale.withLock { $0.generation += 1 }
            job.fail(PostgresReachability.refusal(of: error, "the log's database failed a compaction's write"))
        }
    }

    private func write(_ job: Housekeeping, generation: Int, on connection: PostgresConnection) async throws -> SettledHousekeeping {
        if case .storeBase(let bytes, _) = job {
            let sequence = Int64(clamping: BaseSnapshot.sequence(ofEncoded: bytes))
            try await connection.query(
                """
                INSERT INTO hooklog_base (sequence, snapshot) VALUES (\(sequence), \(ByteBuffer(bytes: bytes)))
                ON CONFLICT (only_row) DO UPDATE SET sequence = excluded.sequence, snapshot = excluded.snapshot
                WHERE hooklog_base.sequence < excluded.sequence
                """, logger: logger)
            return SettledHousekeeping(job, requeued: [])
        }
        let rows = try await connection.query("SELECT sequence FROM hooklog_head FOR UPDATE", logger: logger)
        var head: UInt64 = 0
        for try await sequence in rows.decode(Int64.self) { head = UInt64(sequence) }
        try await catchUp(to: head, on: connection, generation: generation)
        let settled = try live.withLock { live throws(StoreError) in
            try self.checkGeneration(generation)
            return live.settle(job)
        }
        let sequences = settled.removable.map { Int64(clamping: $0.sequence) }
        guard !sequences.isEmpty else { return settled }
        try await connection.query("DELETE FROM hooklog_index WHERE sequence = ANY(\(sequences))", logger: logger)
        try await connection.query("DELETE FROM hooklog_records WHERE sequence = ANY(\(sequences))", logger: logger)
        return settled
    }
}
