import HookLogCore

/// The log as a queue's window reads it back (``QueuedDeliverySource``): the records LMDB's `by_webhook` index lists
/// under the webhook, then `unwritten`, the records folded but not written yet (the writer's commit under way, the
/// simulator's buffer), which all come after those LMDB holds. Each read opens its own read transaction, so it
/// must not run inside another; a fold inside a read transaction reads through ``SnapshotQueuedDeliveries``.
struct LogQueuedDeliveries<Unwritten: Sequence<LoggedRecord>>: QueuedDeliverySource {
    let reader: LogReader
    let unwritten: Unwritten

    func forEachRecord(
        concerning webhookID: WebhookID, from sequence: UInt64, _ body: (LoggedRecord) -> Bool
    ) throws(any Error) {
        let more = try reader.databases.environment.read { transaction in
            try reader.forEachRecord(concerning: webhookID, from: sequence, in: transaction, body)
        }
        guard more else { return }
        for entry in unwritten where entry.sequence >= sequence {
            guard body(entry) else { return }
        }
    }
}

/// The log as a fold inside one read transaction reads it back (``Rebuild``, ``Checkpoint``): the records the
/// transaction's `by_webhook` index lists under the webhook. Made by ``LogReader/withQueuedDeliveries(in:_:)``,
/// it is valid only as long as the transaction.
struct SnapshotQueuedDeliveries: QueuedDeliverySource {
    fileprivate let reader: LogReader
    fileprivate let transaction: ReadTransactionLoan

    func forEachRecord(
        concerning webhookID: WebhookID, from sequence: UInt64, _ body: (LoggedRecord) -> Bool
    ) throws(any Error) {
        _ = try transaction.read { transaction in
            try reader.forEachRecord(concerning: webhookID, from: sequence, in: transaction, body)
        }
    }
}

extension LogReader {
    /// Runs `body` with the log as `transaction` holds it, for a fold inside that transaction.
    func withQueuedDeliveries<T>(
        in transaction: borrowing ReadTransaction, _ body: (SnapshotQueuedDeliveries) throws -> T
    ) rethrows -> T {
        try transaction.withLoan { loan in try body(SnapshotQueuedDeliveries(reader: self, transaction: loan)) }
    }

    /// Calls `body` with each record the `by_webhook` index lists under `webhookID` from sequence `sequence` on, in
    /// the caller's transaction, until it returns false; returns whether it asked for more.
    func forEachRecord(
        concerning webhookID: WebhookID, from sequence: UInt64, in transaction: borrowing ReadTransaction,
        _ body: (LoggedRecord) -> Bool
    ) throws -> Bool {
        var more = true
        try forEachSequence(
            listedUnder: IndexedName(webhookID), in: databases.byWebhook, from: sequence, in: transaction
        ) { sequence in
            more = body(try record(at: sequence, in: transaction))
            return more
        }
        return more
    }
}

