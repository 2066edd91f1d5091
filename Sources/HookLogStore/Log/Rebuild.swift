public import HookLogCore

/// Replays the log into fresh projections — from the base snapshot once the log has been cut, from sequence 1
/// before — and, to verify, compares them with the stored checkpoint plus the tail (the state the service starts
/// from) and the indexes with the entries the records call for.
public enum Rebuild {
    /// What a replay found.
    public struct Report: Sendable {
        /// Records folded.
        public var records: Int
        /// The state folded from the base (or sequence 1).
        public var state: HookLogState
        /// The sequence of the base snapshot the replay started from (0: the log was never cut).
        public var baseSequence: UInt64
        /// The sequence of the checkpoint the comparison started from (0: none).
        public var checkpointSequence: UInt64
        /// Every difference found; empty when the projections agree.
        public var differences: [String]
    }

    /// Folds the log from its base (sequence 1 for a log never cut) into a fresh state under `policy`, keeping
    /// `queueWindow` deliveries per queue in RAM.
    public static func replay(
        _ reader: LogReader, policy: DeliveryPolicy, queueWindow: Int? = HookLogState.standardQueueWindow
    ) throws -> (state: HookLogState, records: Int) {
        var uncounted: Counting?
        return try reader.databases.environment.read { transaction in
            let start = try Checkpoint.start(from: reader, policy: policy, queueWindow: queueWindow, in: transaction)
            return try replay(reader, from: start, in: transaction, counting: &uncounted)
        }
    }

    /// Folds the records after `start` into it and, when `counting` is not nil, counts into it the index entries each
    /// record calls for (``IndexKeys`` read the state before the record, so they are taken in the fold).
    private static func replay(
        _ reader: LogReader, from start: HookLogState, in transaction: borrowing ReadTransaction,
        counting: inout Counting?
    ) throws -> (state: HookLogState, records: Int) {
        var state = start
        var records = 0
        try reader.withQueuedDeliveries(in: transaction) { log in
            try reader.forEachRecord(in: transaction, after: start.lastSequence) { entry in
                try counting?.add(entry, before: &state, of: reader, in: transaction)
                try state.evolve(entry, refillingFrom: log)
                records += 1
                return true
            }
        }
        return (state, records)
    }

    /// What a verify counts as it replays: the entries of the named indexes, and the search index's keys, counted on
    /// a thread of their own (``SearchKeyCounter``).
    private struct Counting {
        var entries = IndexEntryCounts()
        let searchKeys = SearchKeyCounter()

        /// Counts the entries `entry` calls for, given the state just before it. The state is lent `inout`, not
        /// passed: the replay's closure captures it, and passing a captured variable copies it, which retains and
        /// releases each of its collections for every record.
        mutating func add(
            _ entry: LoggedRecord, before state: inout HookLogState, of reader: LogReader,
            in transaction: borrowing ReadTransaction
        ) throws {
            entries.add(
                IndexKeys(of: entry.record, in: state),
                withFormerEvents: entry.sequence <= reader.databases.formerEventEntriesThrough)
            if let values = reader.databases.values,
               let event = try ValueIndex.event(of: entry.record, log: values.log, in: transaction) {
                searchKeys.add(.init(data: event.data, workspaceID: event.workspaceID, run: values.run(of: entry.sequence)))
            }
        }

        /// Every count, once the search keys are counted.
        func total() -> IndexEntryCounts {
            var total = entries
            total.byValue = searchKeys.total()
            return total
        }
    }

    /// Replays the log and compares the result with the checkpoint plus tail, the index entries of the records after
    /// the base with those the log calls for (the entries of records kept from before the base must point to records),
    /// and the id table with the keys of the indexes, all in one read snapshot, so that a server appending meanwhile
    /// cannot cause a false difference.
    public static func verify(
        _ reader: LogReader, policy: DeliveryPolicy, queueWindow: Int? = HookLogState.standardQueueWindow
    ) throws -> Report {
        try reader.databases.environment.read { transaction in
            var counting: Counting? = Counting()
            let start = try Checkpoint.start(from: reader, policy: policy, queueWindow: queueWindow, in: transaction)
            let (fresh, records) = try replay(reader, from: start, in: transaction, counting: &counting)
            let expectedEntries = counting?.total() ?? IndexEntryCounts()
            let (restored, checkpointSequence) = try Checkpoint.restore(
                from: reader, policy: policy, queueWindow: queueWindow, in: transaction)
            var differences = fresh.differences(from: restored).map { "projections: \($0)" }
            for database in try reader.databaseCounts(in: transaction, after: start.lastSequence) {
                let expected = expectedEntries.entries(ofDatabase: database.name) ?? 0
                if database.entries != expected {
                    differences.append("index \(database.name): \(database.entries) entries, the log calls for \(expected)")
                }
                if database.dangling > 0 {
                    differences.append("index \(database.name): \(database.dangling) entries point to records the log no longer holds")
                }
            }
            differences += try reader.idTableDifferences(in: transaction)
            return Report(
                records: records, state: fresh, baseSequence: start.lastSequence, checkpointSequence: checkpointSequence,
                differences: differences)
        }
    }

    /// Replays the whole history from its first record — the records compaction archived in `archive` merged with
    /// those the log keeps — into a fresh state that holds every delivery in RAM, and compares it with the checkpoint
    /// plus tail, all of whose queued and skipped deliveries are read back from the log
    /// (``HookLogState/wholeQueues(reading:)``). The report's state is the replayed one.
    public static func verify(
        _ reader: LogReader, archive: ArchiveReader, policy: DeliveryPolicy,
        queueWindow: Int? = HookLogState.standardQueueWindow
    ) throws -> Report {
        try reader.databases.environment.read { transaction in
            var fresh = HookLogState(policy: policy, queueWindow: nil)
            var records = 0
            try reader.forEachRecord(in: transaction, mergedWith: archive) { entry in
                fresh.evolve(entry)
                records += 1
                return true
            }
            let (restored, checkpointSequence) = try Checkpoint.restore(
                from: reader, policy: policy, queueWindow: queueWindow, in: transaction)
            let differences = try reader.withQueuedDeliveries(in: transaction) { log in
                try fresh.wholeQueues(reading: log).differences(from: restored.wholeQueues(reading: log))
            }
            return Report(
                records: records, state: fresh, baseSequence: 0, checkpointSequence: checkpointSequence,
                differences: differences.map { "projections replayed from the first record: \($0)" })
        }
    }
}
