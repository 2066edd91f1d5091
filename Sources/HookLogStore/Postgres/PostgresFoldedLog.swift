import HookLogCore

/// The PostgreSQL log as its writer's fold reads it back (``FoldedLog``). The writer keeps every queue whole in RAM
/// (no queue window), so its fold never reads a queue back; and nothing is removed from the log, so every record it
/// folded is still held.
struct PostgresFoldedLog: FoldedLog, QueuedDeliverySource {
    func forEachRecord(
        concerning webhookID: WebhookID, from sequence: UInt64, _ body: (LoggedRecord) -> Bool
    ) {
        preconditionFailure("a state that keeps whole queues never reads one back")
    }

    func queued(unwritten: LazyMapSequence<[PendingWrite], LoggedRecord>) -> PostgresFoldedLog {
        self
    }

    func holdsRecord(at sequence: UInt64) -> Bool {
        true
    }

    /// Nil: the database is read with `await`, which the writer does itself once a commit has failed
    /// (``PostgresAppender``).
    func durableState(policy: DeliveryPolicy, queueWindow: Int?) -> HookLogState? {
        nil
    }
}
