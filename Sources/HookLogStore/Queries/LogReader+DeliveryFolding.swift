import HookLogCore

/// How the queries fold one delivery from the indexes, reading no more of the log than that delivery's records: a
/// delivery is found by the record that created it, and its later records are those the delivery index lists under it.
extension LogReader {
    /// The deliveries `entry` creates (`EventReceived` fanouts or a `RedeliveryRequested`) that `subject` concerns, as
    /// they stand when created.
    static func deliveries(createdBy entry: LoggedRecord, of subject: DeliveryHistory.Subject) -> [DeliveryRecord] {
        var history = DeliveryHistory(of: subject)
        history.apply(entry)
        return history.deliveries
    }

    /// `created`, the delivery `creation` created, folded with every later record the delivery index lists for it
    /// and every later disable and enable of its webhook (the queue index's), read in the caller's transaction. A
    /// `DeliveriesRecovered` among them is not decoded: that the index lists it under the delivery says all the
    /// delivery needs of it, and it can list thousands of others.
    func folded(
        _ created: DeliveryRecord, from creation: LoggedRecord, in transaction: borrowing ReadTransaction
    ) throws -> DeliveryRecord {
        var fold = DeliveryFold(created, from: creation)
        var sequences = try queueChanges(of: created.webhookID, after: creation.sequence, in: transaction)
        try forEachSequence(
            listedUnder: IndexedName(created.deliveryID), in: databases.byDelivery,
            from: creation.sequence + 1, in: transaction
        ) { sequence in
            sequences.append(sequence)
            return true
        }
        for sequence in sequences.sorted() {
            try withRecordBytes(at: sequence, in: transaction) { bytes in try fold.apply(encoded: bytes, at: sequence) }
        }
        return fold.delivery
    }

    /// The record at `sequence`, read in the caller's transaction, when `wanted` tells from its header that it is
    /// worth decoding; nil otherwise.
    func record(
        at sequence: UInt64, in transaction: borrowing ReadTransaction, if wanted: (UnsafeRawBufferPointer) -> Bool
    ) throws -> LoggedRecord? {
        try withRecordBytes(at: sequence, in: transaction) { bytes in
            wanted(bytes) ? LoggedRecord(sequence: sequence, record: try Self.decode(bytes, sequence)) : nil
        }
    }
}
