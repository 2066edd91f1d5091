public import HookLogCore
import NIOCore
import PostgresNIO

/// Compaction of a PostgreSQL log (docs/postgres.md, docs/rules.md §3.7): the same cut, base snapshot and rules as
/// the data directory's, its writes made in a session that holds compaction's advisory lock.
extension PostgresLog {
    /// About how many records one chunk examines: each chunk is one transaction that holds the head's lock, as an
    /// append does, for a few milliseconds.
    static let recordsPerChunk = 256
    /// The advisory lock a compaction pass holds in its session, so that one node of a fleet compacts at a time:
    /// "hookcut" as a number.
    static let compactionLock = Int64(0x686F6F6B637574)

    /// One compaction pass (``LogStore/compact(before:at:spread:)`` on a data directory): cuts the log at the last
    /// record older than `cutoff` with a `HistoryCompacted` decided at `now`, stores the state right after it as the
    /// base snapshot (`hooklog_base`), then removes, chunk by chunk spread over `spread` at most, the records up to
    /// the cut that only concern finished history, with their index rows. A cancelled pass stops between two chunks.
    ///
    /// In a fleet every node with a retention runs passes; the one whose session holds the compaction's advisory
    /// lock makes the pass, and the others return nil at once, as does a pass with no record older than `cutoff`
    /// after the last cut. The base and every chunk are written in that session: should it end, the lock goes with
    /// it, and so does the pass.
    public func compact(before cutoff: Timestamp, at now: Timestamp, spread: Duration) async throws -> CompactionReport? {
        let logger = postgresQueries.logger
        do {
            return try await pool.client.withConnection { connection in
                let rows = try await connection.query("SELECT pg_try_advisory_lock(\(Self.compactionLock))", logger: logger)
                var locked = false
                for try await held in rows.decode(Bool.self) { locked = held }
                guard locked else { return nil }
                let report: Result<CompactionReport?, any Error>
                do {
                    report = .success(try await self.compact(before: cutoff, at: now, spread: spread, on: connection))
                } catch {
                    report = .failure(error)
                }
                // In a task of its own, which a cancelled pass does not cancel: the pooled session must not keep the lock.
                _ = try? await Task { try await connection.query("SELECT pg_advisory_unlock(\(Self.compactionLock))", logger: logger) }.value
                return try report.get()
            }
        } catch let error as CancellationError {
            throw error
        } catch {
            throw PostgresReachability.refusal(of: error, "the log's database failed a compaction")
        }
    }

    /// The pass, in the session of `connection`, which holds the lock.
    private func compact(
        before cutoff: Timestamp, at now: Timestamp, spread: Duration, on connection: PostgresConnection
    ) async throws -> CompactionReport? {
        let (through, previous) = try await postgresQueries.read { snapshot in
            (try await snapshot.cutPoint(before: cutoff), try await snapshot.lastCut()?.through ?? 0)
        }
        guard let through, through > 0 else { return nil }
        let appended = try await execute([.compactHistory(through: through, before: cutoff)], at: now)[0].get()
        guard let record = appended.first, case .historyCompacted(let cut) = record.record.fact,
              let base = appender.takeBase(), base.lastSequence == record.sequence
        else { throw StoreError.writerFailed("a compaction found no base snapshot after its HistoryCompacted") }
        try await store(base, on: connection)
        var sweep = try PostgresCompactionSweep(base: base, through: cut.through)
        var report = CompactionReport(through: cut.through, baseSequence: base.lastSequence, removed: 0, keptForRequeues: 0)
        let pace = RemovalPace(expected: through - min(previous, through), spread: spread)
        var handed = 0
        while let chunk = try await sweep.nextChunk(limit: Self.recordsPerChunk, reading: postgresQueries) {
            try Task.checkCancellation()
            guard chunk.count > 0 else { continue }
            try await Task.sleep(until: pace.due(afterRemoving: handed), clock: .continuous)
            let removal = try await chunk.remove(since: base.lastSequence, on: connection, logger: postgresQueries.logger)
            handed += chunk.count
            sweep.kept(removal.kept, of: chunk)
            report.removed += removal.removed
            report.keptForRequeues += chunk.count - removal.removed
        }
        return report
    }

    /// Stores `base` as the log's base snapshot, encoded on a low-priority thread; a later base stored meanwhile
    /// stays.
    private func store(_ base: HookLogState, on connection: PostgresConnection) async throws {
        let encoded = try await LowPriorityThread.run { try BaseSnapshot(state: base).encoded() }
        try await Self.storeBase(at: base.lastSequence, encoded: encoded, on: connection, logger: postgresQueries.logger)
    }

    /// Stores the base snapshot at `sequence`, `encoded` as ``BaseSnapshot`` seals it, on `connection`: a compaction's,
    /// or a copy's; a later base stored meanwhile stays.
    static func storeBase(at sequence: UInt64, encoded: [UInt8], on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            INSERT INTO hooklog_base (sequence, snapshot) VALUES (\(Int64(clamping: sequence)), \(ByteBuffer(bytes: encoded)))
            ON CONFLICT (only_row) DO UPDATE SET sequence = excluded.sequence, snapshot = excluded.snapshot
            WHERE hooklog_base.sequence < excluded.sequence
            """, logger: logger)
    }
}
