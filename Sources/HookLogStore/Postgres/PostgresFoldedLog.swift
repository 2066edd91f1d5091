import HookLogCore

/// The PostgreSQL log as its writer's fold reads it back (``FoldedLog``). The writer keeps every queue whole in RAM
/// (no queue window), so its fold never reads a queue back. Which records compaction removed is read from the
/// database, in the commit's transaction, for the commands that send an event again (``missing``).
struct PostgresFoldedLog: FoldedLog, QueuedDeliverySource {
    /// The records the commit under way found removed among those its commands send again; every other record it
    /// may ask about is held.
    var missing: Set<UInt64> = []

    func forEachRecord(
        concerning webhookID: WebhookID, from sequence: UInt64, _ body: (LoggedRecord) -> Bool
    ) {
        preconditionFailure("a state that keeps whole queues never reads one back")
    }

    func queued(unwritten: LazyMapSequence<[PendingWrite], LoggedRecord>) -> PostgresFoldedLog {
        self
    }

    func holdsRecord(at sequence: UInt64) -> Bool {
        !missing.contains(sequence)
    }

    /// Nil: the database is read with `await`, which the writer does itself once a commit has failed
    /// (``PostgresAppender``).
    func durableState(policy: DeliveryPolicy, queueWindow: Int?) -> HookLogState? {
        nil
    }
}
