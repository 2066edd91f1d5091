public import HookLogCore

extension LogStore {
    /// One compaction pass (docs/rules.md §3.7): cuts the log at the last record older than `cutoff` with a
    /// `HistoryCompacted` decided at `now`, stores the state right after it as the base snapshot, then removes, in
    /// chunks of `chunkSize` records, each in a small transaction between group commits, the records up to the cut
    /// that only concern finished history. With `archive`, each chunk is handed to it first; it must make the records
    /// durable before it returns, and a throw stops the pass before that chunk is removed. A cancelled pass stops
    /// between two chunks (what it removed so far is consistent; the next pass goes on).
    ///
    /// Returns nil, doing nothing, when no record older than `cutoff` came after the last cut.
    public func compact(
        before cutoff: Timestamp, at now: Timestamp, chunkSize: Int, archive: ((CompactionChunk) throws -> Void)?
    ) async throws -> CompactionReport? {
        guard let through = try reader.cutPoint(before: cutoff), through > 0 else { return nil }
        _ = try await execute(.compactHistory(through: through, before: cutoff), at: now)
        return try await removeBehindCut(chunkSize: chunkSize, archive: archive)
    }

    /// One compaction pass, in chunks of 256 records (``compact(before:at:chunkSize:archive:)``).
    public func compact(before cutoff: Timestamp, at now: Timestamp) async throws -> CompactionReport? {
        try await compact(before: cutoff, at: now, chunkSize: 256, archive: nil)
    }

    /// Stores the state the last `HistoryCompacted` left as the log's base snapshot, and removes what its cut allows
    /// (``compact(before:at:chunkSize:archive:)``, whose second half this is: the simulator decides its cuts
    /// itself).
    public func removeBehindCut(
        chunkSize: Int = 256, archive: ((CompactionChunk) throws -> Void)? = nil
    ) async throws -> CompactionReport {
        guard let base = takeBase(), case .historyCompacted(let cut)? = try reader.record(at: base.lastSequence)?.record.fact
        else { throw StoreError.writerFailed("a compaction found no HistoryCompacted to remove records behind") }
        let encoded = try BaseSnapshot(state: base).encoded()
        try reader.databases.environment.write { transaction in
            try transaction.put(encoded, forKey: BaseSnapshot.key, in: reader.databases.meta)
        }
        var sweep = try CompactionSweep(reader: reader, base: base, through: cut.through)
        var report = CompactionReport(through: cut.through, baseSequence: base.lastSequence, removed: 0, keptForRequeues: 0)
        while let chunk = try sweep.nextChunk(limit: chunkSize) {
            try Task.checkCancellation()
            guard !chunk.removals.isEmpty else { continue }
            try archive?(chunk)
            let kept = try await removeChunk(chunk, since: base.lastSequence)
            sweep.kept(kept, of: chunk)
            let keptRecords = chunk.removals.filter { !Set($0.events).isDisjoint(with: kept) }.count
            report.removed += chunk.removals.count - keptRecords
            report.keptForRequeues += keptRecords
        }
        return report
    }
}
