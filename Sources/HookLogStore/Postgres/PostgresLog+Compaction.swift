public import HookLogCore
import PostgresNIO

/// Compaction of a PostgreSQL log (docs/postgres.md, docs/rules.md §3.7): the same cut, base snapshot and rules as
/// the data directory's, with the removals made by the appender in transactions of their own.
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
    /// after the last cut.
    public func compact(before cutoff: Timestamp, at now: Timestamp, spread: Duration) async throws -> CompactionReport? {
        do {
            return try await pool.client.withConnection { connection in
                let rows = try await connection.query("SELECT pg_try_advisory_lock(\(Self.compactionLock))", logger: self.postgresQueries.logger)
                var locked = false
                for try await held in rows.decode(Bool.self) { locked = held }
                guard locked else { return nil }
                do {
                    let report = try await self.compactHoldingLock(before: cutoff, at: now, spread: spread)
                    _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.compactionLock))", logger: self.postgresQueries.logger)
                    return report
                } catch {
                    _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.compactionLock))", logger: self.postgresQueries.logger)
                    throw error
                }
            }
        } catch let error as CancellationError {
            throw error
        } catch {
            throw PostgresReachability.refusal(of: error, "the log's database failed a compaction")
        }
    }

    private func compactHoldingLock(before cutoff: Timestamp, at now: Timestamp, spread: Duration) async throws -> CompactionReport? {
        let (through, previous) = try await postgresQueries.read { snapshot in
            (try await snapshot.cutPoint(before: cutoff), try await snapshot.lastCut()?.through ?? 0)
        }
        guard let through, through > 0 else { return nil }
        let appended = try await execute([.compactHistory(through: through, before: cutoff)], at: now)[0].get()
        guard let record = appended.first, case .historyCompacted(let cut) = record.record.fact,
              let base = appender.takeBase(), base.lastSequence == record.sequence
        else { throw StoreError.writerFailed("a compaction found no base snapshot after its HistoryCompacted") }
        return try await removeBehindCut(cut, base: base, spread: spread, expected: through - min(previous, through))
    }

    /// Stores `base`, the state right after the `HistoryCompacted` that made `cut`, as the base snapshot, and removes
    /// what the cut allows, about `expected` records spread over `spread` at most.
    private func removeBehindCut(
        _ cut: HistoryCompacted, base: HookLogState, spread: Duration, expected: UInt64
    ) async throws -> CompactionReport {
        let encoded = try await LowPriorityThread.run { try BaseSnapshot(state: base).encoded() }
        try await withCheckedThrowingContinuation { continuation in appender.queue.enqueue(.storeBase(encoded, continuation)) }
        var sweep = try PostgresCompactionSweep(base: base, through: cut.through)
        var report = CompactionReport(through: cut.through, baseSequence: base.lastSequence, removed: 0, keptForRequeues: 0)
        let pace = RemovalPace(expected: expected, spread: spread)
        var handed = 0
        while let chunk = try await sweep.nextChunk(limit: Self.recordsPerChunk, reading: postgresQueries) {
            try Task.checkCancellation()
            guard !chunk.removals.isEmpty else { continue }
            try await Task.sleep(until: pace.due(afterRemoving: handed), clock: .continuous)
            let removal = try await withCheckedThrowingContinuation { continuation in
                appender.queue.enqueue(.remove(chunk, since: base.lastSequence, continuation))
            }
            handed += chunk.removals.count
            sweep.kept(removal.keptEvents, of: chunk)
            report.removed += removal.removed
            report.keptForRequeues += chunk.removals.count - removal.removed
        }
        return report
    }
}
