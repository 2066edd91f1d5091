public import HookLogCore

/// Replays the whole log into fresh projections and, to verify, compares them with the stored checkpoint plus the
/// tail (the state the service starts from) and the indexes with the entries the records call for.
public enum Rebuild {
    /// What a replay found.
    public struct Report: Sendable {
        /// Records folded.
        public var records: Int
        /// The state folded from sequence 1.
        public var state: HookLogState
        /// The sequence of the checkpoint the comparison started from (0: none).
        public var checkpointSequence: UInt64
        /// Every difference found; empty when the projections agree.
        public var differences: [String]
    }

    /// Folds the log from sequence 1 into a fresh state under `policy`, keeping `queueWindow` deliveries per queue
    /// in RAM.
    public static func replay(
        _ reader: LogReader, policy: DeliveryPolicy, queueWindow: Int? = HookLogState.standardQueueWindow
    ) throws -> (state: HookLogState, records: Int) {
        var uncounted: IndexEntryCounts?
        return try reader.databases.environment.read { transaction in
            try replay(reader, HookLogState(policy: policy, queueWindow: queueWindow), in: transaction, counting: &uncounted)
        }
    }

    /// Folds the log from sequence 1 into a fresh state and, when `counts` is not nil, counts into it the index
    /// entries each record calls for (``IndexKeys`` read the state before the record, so they are taken in the fold).
    private static func replay(
        _ reader: LogReader, _ empty: HookLogState, in transaction: borrowing ReadTransaction,
        counting counts: inout IndexEntryCounts?
    ) throws -> (state: HookLogState, records: Int) {
        var state = empty
        var records = 0
        try reader.withQueuedDeliveries(in: transaction) { log in
            try reader.forEachRecord(in: transaction) { entry in
                counts?.add(IndexKeys(of: entry.record, in: state))
                try state.evolve(entry, refillingFrom: log)
                records += 1
                return true
            }
        }
        return (state, records)
    }

    /// Replays the log and compares the result with the checkpoint plus tail, and the index sizes with the log's,
    /// all in one read snapshot, so that a server appending meanwhile cannot cause a false difference.
    public static func verify(
        _ reader: LogReader, policy: DeliveryPolicy, queueWindow: Int? = HookLogState.standardQueueWindow
    ) throws -> Report {
        try reader.databases.environment.read { transaction in
            var counts: IndexEntryCounts? = IndexEntryCounts()
            let (fresh, records) = try replay(
                reader, HookLogState(policy: policy, queueWindow: queueWindow), in: transaction, counting: &counts)
            let expectedEntries = counts ?? IndexEntryCounts()
            let (restored, checkpointSequence) = try Checkpoint.restore(
                from: reader, policy: policy, queueWindow: queueWindow, in: transaction)
            var differences = fresh.differences(from: restored).map { "projections: \($0)" }
            for (name, entries) in try reader.databaseCounts(in: transaction)
            where expectedEntries.entries(ofDatabase: name) != entries {
                differences.append(
                    "index \(name): \(entries) entries, the log calls for \(expectedEntries.entries(ofDatabase: name) ?? 0)")
            }
            return Report(records: records, state: fresh, checkpointSequence: checkpointSequence, differences: differences)
        }
    }
}
