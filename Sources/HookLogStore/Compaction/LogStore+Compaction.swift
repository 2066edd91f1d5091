public import HookLogCore

extension LogStore {
    /// How many records a compaction gathers, in chunks, before it archives them as one segment and removes them.
    static let recordsPerSegment = 8_192
    /// About how many records one chunk removes (an event goes with all its records, which may take it over): few
    /// enough that the group commit it rides in is not much longer (64 records, about 0.5 ms of writer time).
    static let recordsPerChunk = 64

    /// One compaction pass (docs/rules.md §3.7): cuts the log at the last record older than `cutoff` with a
    /// `HistoryCompacted` decided at `now`, stores the state right after it as the base snapshot, then removes, in
    /// chunks of ``recordsPerChunk`` records, each riding in the transaction of a group commit, the records up to the
    /// cut that only concern finished history. The writer makes both writes (``Housekeeping``): no transaction of
    /// compaction's own ever holds LMDB's write lock while appends wait. The chunks are handed over evenly over
    /// `spread` at most (``RemovalPace``), not back to back. With an archive (``Options/archive``), the records are
    /// first written there as segments, each fsynced before any of its records is removed; a failure to archive stops
    /// the pass. A cancelled pass stops between two chunks (what it removed so far is consistent; the next pass goes
    /// on). Finding, archiving and encoding the base snapshot run on a low-priority thread of their own
    /// (``LowPriorityThread``), never on the cooperative pool that serves requests and deliveries.
    ///
    /// Returns nil, doing nothing, when no record older than `cutoff` came after the last cut.
    public func compact(before cutoff: Timestamp, at now: Timestamp, spread: Duration) async throws -> CompactionReport? {
        guard let through = try reader.cutPoint(before: cutoff), through > 0 else { return nil }
        let previousThrough = try reader.historyStart()?.through ?? 0
        _ = try await execute(.compactHistory(through: through, before: cutoff), at: now)
        return try await removeBehindCut(spread: spread, expected: through - min(previousThrough, through))
    }

    /// Stores the state the last `HistoryCompacted` left as the log's base snapshot, and removes what its cut allows,
    /// about `expected` records spread over `spread` at most (``compact(before:at:spread:)``, whose second half this
    /// is: the simulator decides its cuts itself, and removes at once).
    public func removeBehindCut(spread: Duration = .zero, expected: UInt64 = 0) async throws -> CompactionReport {
        guard let base = takeBase(), case .historyCompacted(let cut)? = try reader.record(at: base.lastSequence)?.record.fact
        else { throw StoreError.writerFailed("a compaction found no HistoryCompacted to remove records behind") }
        let reader = reader
        try await storeBase(try await LowPriorityThread.run { try BaseSnapshot(state: base).encoded() })
        var sweep = try await LowPriorityThread.run { try CompactionSweep(reader: reader, base: base, through: cut.through) }
        var report = CompactionReport(through: cut.through, baseSequence: base.lastSequence, removed: 0, keptForRequeues: 0)
        let pace = RemovalPace(expected: expected, spread: spread)
        var handed = 0
        var finished = false
        while !finished {
            try Task.checkCancellation()
            let segment = try await LowPriorityThread.run { [sweep, archive] in try Self.nextSegment(of: sweep, archivingTo: archive) }
            (sweep, finished) = (segment.sweep, segment.finished)
            for chunk in segment.chunks {
                try await Task.sleep(until: pace.due(afterRemoving: handed), clock: .continuous)
                let removal = try await removeChunk(chunk, since: base.lastSequence)
                handed += chunk.removals.count
                sweep.kept(removal.keptEvents, of: chunk)
                report.removed += removal.removed
                report.keptForRequeues += chunk.removals.count - removal.removed
            }
        }
        return report
    }

    /// The chunks of about ``recordsPerSegment`` records that `sweep` finds next, archived first when there is an
    /// archive, with the sweep moved past them and whether it reached the cut.
    private static func nextSegment(
        of sweep: CompactionSweep, archivingTo archive: ArchiveWriter?
    ) throws -> (chunks: [CompactionChunk], sweep: CompactionSweep, finished: Bool) {
        var sweep = sweep
        var chunks: [CompactionChunk] = []
        var records = 0
        while records < recordsPerSegment {
            guard let chunk = try sweep.nextChunk(limit: recordsPerChunk) else {
                try archive?.write(records: archived(chunks))
                return (chunks, sweep, true)
            }
            if !chunk.removals.isEmpty { chunks.append(chunk) }
            records += chunk.removals.count
        }
        try archive?.write(records: archived(chunks))
        return (chunks, sweep, false)
    }

    private static func archived(_ chunks: [CompactionChunk]) -> [ArchivedRecord] {
        chunks.flatMap(\.removals).map { ArchivedRecord(sequence: $0.sequence, bytes: $0.bytes) }.sorted { $0.sequence < $1.sequence }
    }
}
