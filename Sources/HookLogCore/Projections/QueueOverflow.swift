/// Where a queued delivery entered the log: the record that queued it and its place among that record's deliveries
/// (one `EventReceived` fans out to many webhooks, one `DeliveriesRecovered` queues many deliveries).
public struct QueuePosition: Hashable, Comparable, Codable, Sendable {
    /// The sequence of the record that queued the delivery.
    public var sequence: UInt64
    /// The delivery's index in that record's list of deliveries.
    public var index: Int

    /// The place of the `index`th delivery of the record at `sequence`.
    public init(sequence: UInt64, index: Int) {
        self.sequence = sequence
        self.index = index
    }

    public static func < (lhs: QueuePosition, rhs: QueuePosition) -> Bool {
        (lhs.sequence, lhs.index) < (rhs.sequence, rhs.index)
    }
}

/// The deliveries of a queue beyond its in-memory window: how many there are and where the first of them entered
/// the log. They are the queue's last `count` deliveries, so every delivery the webhook's records queue from
/// `start` on is one of them, in order, until `count` are read.
public struct QueueOverflow: Hashable, Codable, Sendable {
    /// Queued deliveries left in the log.
    public internal(set) var count: Int
    /// Where the first of them entered the log.
    public internal(set) var start: QueuePosition
}
