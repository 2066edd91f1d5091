public import DequeModule

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

/// One webhook's FIFO of deliveries (docs/rules.md §2.2), and the deliveries skipped while it was disabled.
///
/// Only a window of the queue is in RAM: `pending` holds its first deliveries, at most the policy's
/// ``HookLogState/queueWindow``, and `overflow` counts the rest, which stay in the log until the window has room.
/// Deliveries leave from the head, so the window is refilled, from the log alone, once it is down to half its size:
/// the fold asks for that read as a ``QueueRefill`` and its caller feeds the result back, so a live state, a rebuilt
/// one and a checkpoint plus tail hold the same window.
public struct DeliveryQueue: Hashable, Codable, Sendable {
    /// The first deliveries to send, in order; the first is the head, the only one attempted.
    public internal(set) var pending: Deque<QueuedDelivery> = []
    /// The deliveries queued after those of `pending`, left in the log; nil when the whole queue is in `pending`.
    public internal(set) var overflow: QueueOverflow?
    /// Deliveries set aside during the webhook's current disable, in their original order, for recovery on enable:
    /// the first of them, which the state holds one by one; `skippedOverflow` counts the rest.
    public internal(set) var skipped: [DeliveryReference] = []
    /// The skipped deliveries after those of `skipped`, left in the log; nil when `skipped` holds them all. A
    /// disable takes over the queue's overflow as it is, and every delivery skipped later joins it: while a webhook is
    /// disabled its records queue nothing that is not skipped, so the range stays "every delivery queued to the
    /// webhook from its start on".
    public internal(set) var skippedOverflow: QueueOverflow?

    /// The delivery to attempt next, if any.
    public var head: QueuedDelivery? { pending.first }

    /// How many deliveries are queued, in the window and beyond it.
    public var count: Int { pending.count + (overflow?.count ?? 0) }

    /// How many deliveries the current disable skipped, in RAM and beyond.
    public var skippedCount: Int { skipped.count + (skippedOverflow?.count ?? 0) }

    /// The pending delivery with this id, if it is in the window.
    public func pendingDelivery(_ id: DeliveryID) -> QueuedDelivery? {
        pending.first { $0.reference.deliveryID == id }
    }

    /// Every queued delivery in order: the window's, then those beyond it, read from `source`.
    public func allDeliveries<Source: QueuedDeliverySource>(
        of webhookID: WebhookID, from source: Source
    ) throws(Source.Failure) -> [QueuedDelivery] {
        guard let overflow else { return Array(pending) }
        return Array(pending) + (try source.queuedDeliveries(of: webhookID, from: overflow.start, limit: overflow.count).deliveries)
    }

    /// Every delivery the current disable skipped, in order: those in RAM, then those beyond, read from `source`.
    public func allSkipped<Source: QueuedDeliverySource>(
        of webhookID: WebhookID, from source: Source
    ) throws(Source.Failure) -> [DeliveryReference] {
        guard let skippedOverflow else { return skipped }
        let beyond = try source.queuedDeliveries(of: webhookID, from: skippedOverflow.start, limit: skippedOverflow.count)
        return skipped + beyond.deliveries.map(\.reference)
    }

    /// Adds a delivery that entered the log at `position` to the end of the queue: to the window while it has room
    /// and nothing waits beyond it, otherwise to the overflow.
    mutating func enqueue(_ delivery: QueuedDelivery, at position: QueuePosition, window: Int) {
        if let overflow {
            self.overflow?.count = overflow.count + 1
        } else if pending.count < window {
            pending.append(delivery)
        } else {
            overflow = QueueOverflow(count: 1, start: position)
        }
    }

    /// The read that fills the window again once it is down to half of `window`, if there is anything beyond it.
    func refillNeeded(_ webhookID: WebhookID, window: Int) -> QueueRefill? {
        guard let overflow, pending.count <= window / 2 else { return nil }
        return QueueRefill(webhookID: webhookID, start: overflow.start, limit: min(overflow.count, window - pending.count))
    }

    /// Appends the deliveries a ``QueueRefill`` read, the next ones beyond the window, and moves the overflow past them.
    mutating func refill(with page: QueuePage) {
        guard let overflow else { return }
        pending.append(contentsOf: page.deliveries)
        let remaining = overflow.count - page.deliveries.count
        self.overflow = remaining > 0 ? QueueOverflow(count: remaining, start: page.next) : nil
    }

    /// Docs/rules.md §2.5: sets the whole queue aside, the window and the deliveries beyond it, as a disable does.
    /// An active webhook has skipped nothing, so the skipped deliveries are the queue's, in its order.
    mutating func skipAll() {
        skipped = pending.map(\.reference)
        skippedOverflow = overflow
        pending = []
        overflow = nil
    }

    /// Sets aside the pending delivery with this id, after those skipped already: a delivery queued while the
    /// webhook is disabled, or one of a disable written as a record per delivery.
    mutating func skipPending(_ id: DeliveryID) {
        guard let delivery = removePending(id) else { return }
        if let skippedOverflow {
            self.skippedOverflow?.count = skippedOverflow.count + 1
        } else {
            skipped.append(delivery.reference)
        }
    }

    /// Docs/rules.md §2.6: queues the skipped deliveries again, in their order, waiting from `time` for their first
    /// attempt, as an enable that recovers does. A disabled webhook's queue is empty, so they make up the queue.
    mutating func recoverSkipped(at time: Timestamp) {
        pending = Deque(skipped.map { QueuedDelivery(reference: $0, attempts: 0, nextAttemptAt: time) })
        overflow = skippedOverflow
        forgetSkipped()
    }

    /// Forgets what the last disable skipped, as an enable does; unless it recovered them, they stay skipped for good.
    mutating func forgetSkipped() {
        skipped = []
        skippedOverflow = nil
    }

    /// Forgets the run of skipped deliveries, from the first, whose events are at or before `sequence`: those in RAM,
    /// then, when that takes them all, the first of those beyond that `beyondWindow` counts (``HistoryCompacted``).
    mutating func expireSkipped(through sequence: UInt64, beyondWindow: HistoryCompacted.ExpiredSkips?) {
        skipped.removeFirst(skipped.firstIndex { $0.eventSequence > sequence } ?? skipped.count)
        guard skipped.isEmpty, let beyondWindow, let skippedOverflow else { return }
        let remaining = skippedOverflow.count - beyondWindow.count
        if remaining > 0, let next = beyondWindow.next {
            self.skippedOverflow = QueueOverflow(count: remaining, start: next)
        } else {
            self.skippedOverflow = nil
        }
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
