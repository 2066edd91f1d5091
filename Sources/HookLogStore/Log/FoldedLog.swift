import HookLogCore

/// The log as the writer's fold reads it back while it decides (``LiveState``): the queues' windows refill from it,
/// a redelivery checks that its event is still held, and a failed writer folds its state again from it.
protocol FoldedLog: Sendable {
    /// What the queues read back: the durable log, then `unwritten`, the records of the commit under way.
    associatedtype Queued: QueuedDeliverySource
    /// The log as folded so far: what is durable, then `unwritten`.
    func queued(unwritten: LazyMapSequence<[PendingWrite], LoggedRecord>) -> Queued
    /// Whether the log still holds the record at `sequence` (compaction removes old ones).
    func holdsRecord(at sequence: UInt64) throws -> Bool
    /// The state folded again from what is durable, for a writer whose commit failed; nil when it cannot be read
    /// here and now.
    func durableState(policy: DeliveryPolicy, queueWindow: Int?) -> HookLogState?
}

extension LogReader: FoldedLog {
    func queued(unwritten: LazyMapSequence<[PendingWrite], LoggedRecord>) -> LogQueuedDeliveries<LazyMapSequence<[PendingWrite], LoggedRecord>> {
        LogQueuedDeliveries(reader: self, unwritten: unwritten)
    }

    func holdsRecord(at sequence: UInt64) throws -> Bool {
        try record(at: sequence) != nil
    }

    func durableState(policy: DeliveryPolicy, queueWindow: Int?) -> HookLogState? {
        try? currentState(policy: policy, queueWindow: queueWindow).state
    }
}
