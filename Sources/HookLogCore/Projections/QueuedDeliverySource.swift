/// The log, as far as a queue's window needs it: the records that queued deliveries to a webhook, so that the
/// deliveries beyond the window can be read back when it has room (``QueueOverflow``).
///
/// The store reads them through its `by_webhook` index (and, in the writer, the records of the commit under way);
/// a test reads them from an array.
public protocol QueuedDeliverySource {
    /// Why reading failed.
    associatedtype Failure: Error

    /// Calls `body` with each record at or after sequence `sequence` that concerns `webhookID`, in sequence order,
    /// until `body` returns false. Records that queue nothing to the webhook may be included; they are ignored.
    func forEachRecord(
        concerning webhookID: WebhookID, from sequence: UInt64, _ body: (LoggedRecord) -> Bool
    ) throws(Failure)
}

extension QueuedDeliverySource {
    /// The deliveries `refill` asks for: up to its limit, from its start on, in queue order.
    public func page(for refill: QueueRefill) throws(Failure) -> QueuePage {
        let (deliveries, next) = try queuedDeliveries(of: refill.webhookID, from: refill.start, limit: refill.limit)
        return QueuePage(deliveries: deliveries, next: next)
    }

    /// Up to `limit` deliveries queued to `webhookID` from `start` on, in queue order, and the position just after
    /// the last of them.
    func queuedDeliveries(
        of webhookID: WebhookID, from start: QueuePosition, limit: Int
    ) throws(Failure) -> (deliveries: [QueuedDelivery], next: QueuePosition) {
        var deliveries: [QueuedDelivery] = []
        var next = start
        guard limit > 0 else { return (deliveries, next) }
        try forEachRecord(concerning: webhookID, from: start.sequence) { entry in
            entry.forEachQueuedDelivery { index, target, delivery in
                let position = QueuePosition(sequence: entry.sequence, index: index)
                guard target == webhookID, position >= start, deliveries.count < limit else { return }
                deliveries.append(delivery)
                next = QueuePosition(sequence: entry.sequence, index: index + 1)
            }
            return deliveries.count < limit
        }
        return (deliveries, next)
    }
}

extension QueuedDeliverySource {
    /// How many of the first `limit` deliveries queued to `webhookID` from `start` on, counted from the first, carry an
    /// event at or before `sequence` (the run stops at the first that does not), and where the delivery after that
    /// run entered the log (nil when the run takes all `limit`).
    func queuedRun(
        of webhookID: WebhookID, from start: QueuePosition, eventsThrough sequence: UInt64, limit: Int
    ) throws(Failure) -> (count: Int, next: QueuePosition?) {
        var count = 0
        var next: QueuePosition?
        try forEachRecord(concerning: webhookID, from: start.sequence) { entry in
            entry.forEachQueuedDelivery { index, target, delivery in
                let position = QueuePosition(sequence: entry.sequence, index: index)
                guard target == webhookID, position >= start, next == nil, count < limit else { return }
                if delivery.reference.eventSequence <= sequence { count += 1 } else { next = position }
            }
            return next == nil && count < limit
        }
        return (count, count < limit ? next : nil)
    }
}

/// A read the fold asks for when a queue's window is down to half: the next `limit` deliveries queued to the
/// webhook from `start` on. ``HookLogState/evolve(_:)`` returns it; whoever folds reads the page from the log and
/// feeds it back with ``HookLogState/refill(_:with:)``.
public struct QueueRefill: Hashable, Sendable {
    /// Whose queue it fills.
    public var webhookID: WebhookID
    /// Where the first delivery beyond the window entered the log.
    public var start: QueuePosition
    /// How many deliveries to read at most.
    public var limit: Int
}

/// What a ``QueueRefill`` read: the deliveries, in queue order, and the position just after the last of them.
public struct QueuePage: Hashable, Sendable {
    public var deliveries: [QueuedDelivery]
    public var next: QueuePosition

    /// A page of `deliveries` that ends before `next`.
    public init(deliveries: [QueuedDelivery], next: QueuePosition) {
        self.deliveries = deliveries
        self.next = next
    }
}
