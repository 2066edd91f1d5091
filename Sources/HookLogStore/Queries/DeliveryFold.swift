import HookLogCore

/// One delivery folded from the record that created it and the records after it that changed it: those its index
/// lists under the delivery, and its webhook's disables and enables. Every backend's reads fold it this way.
struct DeliveryFold {
    private var history: DeliveryHistory
    private let created: DeliveryRecord

    /// Starts from the delivery `created` as the record `creation` brought it.
    init(_ created: DeliveryRecord, from creation: LoggedRecord) {
        history = DeliveryHistory(of: .delivery(created.deliveryID))
        history.apply(creation)
        self.created = created
    }

    /// Folds in the record at `sequence`, given encoded; a recovery is folded from its header alone, without decoding
    /// the list of deliveries it brings back, which may be long.
    mutating func apply(encoded bytes: UnsafeRawBufferPointer, at sequence: UInt64) throws {
        if RecordCodec.isDeliveriesRecovered(bytes), let recoveredAt = RecordCodec.headerTime(bytes) {
            history.applyRecovery(of: created.deliveryID, at: recoveredAt)
        } else {
            history.apply(LoggedRecord(sequence: sequence, record: try LogReader.decode(bytes, sequence)))
        }
    }

    /// The delivery as folded so far.
    var delivery: DeliveryRecord {
        history.deliveries.first ?? created
    }
}
