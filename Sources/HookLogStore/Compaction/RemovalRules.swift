import HookLogCore

/// What a compaction pass decides for each record at or before its cut (docs/rules.md §3.7), whichever log holds
/// them: the rules both the data directory's ``CompactionSweep`` and PostgreSQL's ``PostgresCompactionSweep`` follow.
///
/// What stays whatever its age: the configuration (workspaces, keys, webhooks), every record of an event one of whose
/// deliveries the base snapshot holds as queued, retrying or skipped (the event, its deliveries' attempts, a
/// redelivery of it), and a webhook's disables and enables while an event before them that went to it stays. An event
/// goes with all its records at once, those of its deliveries after the cut included (never one after the base), so
/// what remains of an event's history is always whole. A `DeliveriesRecovered` of an older log, which can queue the
/// deliveries of many events again, goes on its own once none of those events remains.
struct RemovalRules: Sendable {
    /// The events of the deliveries the base holds as pending (queued, retrying or skipped).
    let pinned: Set<UInt64>
    /// Webhooks an event kept so far in this pass went to.
    private var retainedTargets: Set<WebhookID> = []

    /// What becomes of a record at or before the cut.
    enum Verdict {
        /// It stays.
        case stays
        /// It goes, and it belongs to no event.
        case alone
        /// It is an event's `EventReceived`, which goes with every record of the event's deliveries.
        case withItsHistory(EventID)
    }

    /// The rules of a pass whose base holds `pinned` events' deliveries as pending (``pendingEvents(of:reading:)``).
    init(pinned: Set<UInt64>) {
        self.pinned = pinned
    }

    /// The events of every delivery `state` holds as queued, retrying or skipped, those beyond the windows read from
    /// `log`.
    static func pendingEvents(of state: HookLogState, reading log: some QueuedDeliverySource) throws -> Set<UInt64> {
        var events: Set<UInt64> = []
        for (webhookID, queue) in state.queues {
            events.formUnion(try queue.allDeliveries(of: webhookID, from: log).map(\.reference.eventSequence))
            events.formUnion(try queue.allSkipped(of: webhookID, from: log).map(\.eventSequence))
        }
        return events
    }

    /// Whether `entry` goes, and with what; `holds` says whether the log still holds the record at a sequence.
    mutating func verdict(on entry: LoggedRecord, holds: (UInt64) throws -> Bool) rethrows -> Verdict {
        switch entry.record.fact {
        case .workspaceCreated, .workspacePlanChanged, .apiKeyIssued, .apiKeyRevoked, .webhookCreated, .webhookUpdated,
             .webhookDeleted, .webhookSecretRotated, .operationsWebhookSet, .operationsWebhookRemoved:
            return .stays
        case .historyCompacted, .notificationSent, .notificationFailed, .warningThresholdReached, .warningNotificationSent,
             .warningNotificationFailed, .operationsAttemptSucceeded, .operationsAttemptFailed, .operationsMessageDropped:
            return .alone
        case .eventReceived(let fact):
            guard !pinned.contains(entry.sequence) else {
                retainedTargets.formUnion(fact.deliveries.map(\.webhookID))
                return .stays
            }
            return .withItsHistory(fact.eventID)
        case .redeliveryRequested(let fact):
            retainedTargets.insert(fact.webhookID)
            return .stays
        case .deliveriesRecovered(let fact):
            for event in Set(fact.deliveries.map(\.eventSequence)) where try pinned.contains(event) || holds(event) {
                retainedTargets.insert(fact.webhookID)
                return .stays
            }
            return .alone
        case .attemptSucceeded, .attemptFailed, .deliveryDropped, .deliverySkipped:
            return .stays
        case .webhookDisabled(let fact):
            return retainedTargets.contains(fact.webhookID) ? .stays : .alone
        case .webhookEnabled(let fact):
            return retainedTargets.contains(fact.webhookID) ? .stays : .alone
        }
    }

    /// Notes that the writer kept these events after all (a delivery of theirs was requested again meanwhile), whose
    /// deliveries went to the webhooks `targets` lists by event.
    mutating func kept(_ events: some Sequence<UInt64>, targets: [UInt64: [WebhookID]]) {
        for event in events { retainedTargets.formUnion(targets[event] ?? []) }
    }
}
