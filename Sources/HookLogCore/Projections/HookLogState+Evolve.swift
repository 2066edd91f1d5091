extension HookLogState {
    /// Folds one record into the state. Records must come in sequence order; a fact about something the state
    /// does not know (a deleted webhook, say) changes nothing. A queue whose window has room again is refilled with
    /// the deliveries beyond it, read from `log`: the records folded so far, this one included.
    public mutating func evolve<Log: QueuedDeliverySource>(_ entry: LoggedRecord, queued log: Log) throws(Log.Failure) {
        let at = entry.record.at
        lastSequence = entry.sequence
        switch entry.record.fact {
        case .workspaceCreated(let fact):
            workspaces[fact.workspaceID] = Workspace(
                id: fact.workspaceID, name: fact.name, plan: fact.plan, ownerEmail: fact.ownerEmail, createdAt: at,
                webhookIDs: [])
        case .workspacePlanChanged(let fact):
            workspaces[fact.workspaceID]?.plan = fact.plan
            workspaces[fact.workspaceID]?.ownerEmail = fact.ownerEmail
        case .apiKeyIssued(let fact):
            apiKeys[fact.keyID] = ApiKey(
                id: fact.keyID, workspaceID: fact.workspaceID, keyHash: fact.keyHash, hint: fact.hint, issuedAt: at)
        case .apiKeyRevoked(let fact):
            apiKeys[fact.keyID] = nil
        case .webhookCreated(let fact):
            webhooks[fact.webhookID] = Webhook(
                id: fact.webhookID, workspaceID: fact.workspaceID, url: fact.url, events: fact.events,
                secret: fact.secret, status: .active, createdAt: at)
            queues[fact.webhookID] = DeliveryQueue()
            workspaces[fact.workspaceID]?.webhookIDs.append(fact.webhookID)
        case .webhookUpdated(let fact):
            webhooks[fact.webhookID]?.url = fact.url
            webhooks[fact.webhookID]?.events = fact.events
        case .webhookDeleted(let fact):
            guard let webhook = webhooks.removeValue(forKey: fact.webhookID) else { return }
            queues[fact.webhookID] = nil
            notifications[fact.webhookID] = nil
            workspaces[webhook.workspaceID]?.webhookIDs.removeAll { $0 == fact.webhookID }
        case .eventReceived:
            enqueueDeliveries(of: entry)
        case .attemptSucceeded(let fact):
            _ = queues[fact.webhookID]?.removePending(fact.deliveryID)
            try refillQueue(of: fact.webhookID, from: log)
        case .attemptFailed(let fact):
            if let workspaceID = webhooks[fact.webhookID]?.workspaceID {
                errorWindows[workspaceID, default: ErrorWindow()].record(at, window: policy.errorWindow)
            }
            queues[fact.webhookID]?.updatePending(fact.deliveryID) { delivery in
                delivery.attempts = fact.number
                delivery.nextAttemptAt = fact.nextAttemptAt ?? at
            }
        case .deliveryDropped(let fact):
            _ = queues[fact.webhookID]?.removePending(fact.deliveryID)
            try refillQueue(of: fact.webhookID, from: log)
        case .deliverySkipped(let fact):
            if let skipped = queues[fact.webhookID]?.removePending(fact.deliveryID) {
                queues[fact.webhookID]?.skipped.append(skipped.reference)
            }
            try refillQueue(of: fact.webhookID, from: log)
        case .webhookDisabled(let fact):
            guard let webhook = webhooks[fact.webhookID] else { return }
            webhooks[fact.webhookID]?.status = .disabled
            webhooks[fact.webhookID]?.disabledReason = fact.reason
            webhooks[fact.webhookID]?.disabledAt = at
            if let owner = workspaces[webhook.workspaceID]?.ownerEmail {
                notifications[fact.webhookID] = PendingNotification(
                    webhookID: fact.webhookID, recipient: owner, disabledAt: at, failedAttempts: 0, nextAttemptAt: at)
            }
        case .notificationSent(let fact):
            notifications[fact.webhookID] = nil
        case .notificationFailed(let fact):
            notifications[fact.webhookID]?.failedAttempts = fact.attempt
            notifications[fact.webhookID]?.nextAttemptAt = fact.nextAttemptAt
        case .webhookEnabled(let fact):
            webhooks[fact.webhookID]?.status = .active
            webhooks[fact.webhookID]?.disabledReason = nil
            webhooks[fact.webhookID]?.disabledAt = nil
            errorWindows[fact.workspaceID] = ErrorWindow()
            queues[fact.webhookID]?.skipped.removeAll()
        case .deliveriesRecovered(let fact):
            let recovered = Set(fact.deliveries.map(\.deliveryID))
            queues[fact.webhookID]?.skipped.removeAll { recovered.contains($0.deliveryID) }
            enqueueDeliveries(of: entry)
        case .redeliveryRequested:
            enqueueDeliveries(of: entry)
        }
    }

    /// Folds one record into a state whose queues need nothing read back from the log: every queue fits its window,
    /// or the record removes nothing from a queue with an overflow. Otherwise it traps; fold with
    /// ``evolve(_:queued:)`` instead.
    public mutating func evolve(_ entry: LoggedRecord) {
        evolve(entry, queued: NoLog())
    }

    /// Folds records in order, as ``evolve(_:)`` does.
    public mutating func evolve(_ entries: some Sequence<LoggedRecord>) {
        for entry in entries { evolve(entry) }
    }

    /// Puts the deliveries `entry` queues at the end of their webhooks' queues.
    private mutating func enqueueDeliveries(of entry: LoggedRecord) {
        let window = policy.queueWindow ?? .max
        entry.forEachQueuedDelivery { index, webhookID, delivery in
            queues[webhookID]?.enqueue(delivery, at: QueuePosition(sequence: entry.sequence, index: index), window: window)
        }
    }

    private mutating func refillQueue<Log: QueuedDeliverySource>(
        of webhookID: WebhookID, from log: Log
    ) throws(Log.Failure) {
        try queues[webhookID]?.refill(webhookID, window: policy.queueWindow ?? .max, from: log)
    }
}

/// The log of a state folded without one: reading it is a programming error.
private struct NoLog: QueuedDeliverySource {
    func forEachRecord(concerning webhookID: WebhookID, from sequence: UInt64, _ body: (LoggedRecord) -> Bool) {
        preconditionFailure("webhook \(webhookID)'s queue outgrew its window; fold with evolve(_:queued:)")
    }
}
