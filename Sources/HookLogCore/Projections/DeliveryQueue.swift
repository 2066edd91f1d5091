import DequeModule

/// A delivery waiting in its webhook's queue, with the attempts it has had.
public struct QueuedDelivery: Hashable, Codable, Sendable {
    public var reference: DeliveryReference
    /// Attempts made so far (0 while it waits for its first).
    public var attempts: Int
    /// When it may next be attempted.
    public var nextAttemptAt: Timestamp

    /// `queued` before its first attempt, `retrying` after a failed one.
    public var state: DeliveryState { attempts == 0 ? .queued : .retrying }
}

/// One webhook's FIFO of deliveries (DESIGN.md §2.2), and the deliveries skipped while it was disabled.
public struct DeliveryQueue: Hashable, Codable, Sendable {
    /// Deliveries to send, in order; the first is the head, the only one attempted.
    public internal(set) var pending: Deque<QueuedDelivery> = []
    /// Deliveries set aside during the webhook's current disable, in their original order, for recovery on enable.
    public internal(set) var skipped: [DeliveryReference] = []

    /// The delivery to attempt next, if any.
    public var head: QueuedDelivery? { pending.first }

    /// The pending delivery with this id, if any.
    public func pendingDelivery(_ id: DeliveryID) -> QueuedDelivery? {
        pending.first { $0.reference.deliveryID == id }
    }

    mutating func removePending(_ id: DeliveryID) -> QueuedDelivery? {
        if pending.first?.reference.deliveryID == id { return pending.removeFirst() }
        guard let index = pending.firstIndex(where: { $0.reference.deliveryID == id }) else { return nil }
        return pending.remove(at: index)
    }

    mutating func updatePending(_ id: DeliveryID, _ change: (inout QueuedDelivery) -> Void) {
        guard let index = pending.firstIndex(where: { $0.reference.deliveryID == id }) else { return }
        change(&pending[index])
    }
}

/// Where a delivery stands.
public enum DeliveryState: String, Hashable, Codable, Sendable, CaseIterable {
    /// Waiting for its first attempt.
    case queued
    /// An attempt failed; another is scheduled.
    case retrying
    /// An attempt got a 2xx.
    case succeeded
    /// Every attempt failed; given up.
    case dropped
    /// Set aside unsent because the webhook was disabled.
    case skipped
}
