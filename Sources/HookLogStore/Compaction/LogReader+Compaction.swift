import HookLogCore

extension LogReader {
    /// Where history starts once the log has been cut (the last cut's cut-off and reach); nil while the log holds
    /// every record.
    public func historyStart() throws -> HistoryStart? {
        try databases.environment.read { transaction in
            try lastCut(in: transaction).map { HistoryStart(at: $0.before, through: $0.through) }
        }
    }

    /// The `HistoryCompacted` the base snapshot ends with, if the log has been cut.
    func lastCut(in transaction: borrowing ReadTransaction) throws -> HistoryCompacted? {
        let base = try BaseSnapshot.sequence(in: databases, in: transaction)
        guard base > 0, case .historyCompacted(let cut) = try record(at: base, in: transaction).record.fact else { return nil }
        return cut
    }

    /// The last sequence a cut at `cutoff` reaches: the end of the run of records older than `cutoff` after the last
    /// cut; nil when the run is empty.
    func cutPoint(before cutoff: Timestamp) throws -> UInt64? {
        try databases.environment.read { transaction in
            let previous = try lastCut(in: transaction)?.through ?? 0
            var through = previous
            try transaction.scan(databases.log, from: LogKeys.sequence(previous + 1)) { key, value in
                guard let at = RecordCodec.headerTime(value), at < cutoff else { return false }
                through = LogKeys.sequence(from: key)
                return true
            }
            return through > previous ? through : nil
        }
    }
}

/// The reads a compaction pass makes in its own read transactions.
extension LogReader {
    /// Whether the log still holds a record at `sequence`.
    func holdsRecord(at sequence: UInt64, in transaction: borrowing ReadTransaction) throws -> Bool {
        try transaction.withValue(LogKeys.sequence(sequence), in: databases.log) { _ in true } ?? false
    }

    /// The first record the `by_webhook` index lists under the webhook: its `WebhookCreated`.
    func firstRecord(concerning webhookID: WebhookID, in transaction: borrowing ReadTransaction) throws -> LoggedRecord? {
        var first: LoggedRecord?
        try forEachSequence(
            listedUnder: IndexedName(webhookID), in: databases.byWebhook, from: 0, in: transaction
        ) { sequence in
            first = try record(at: sequence, in: transaction)
            return false
        }
        return first
    }
}
