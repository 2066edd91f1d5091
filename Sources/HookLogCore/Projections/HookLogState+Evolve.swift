extension HookLogState {
    /// Folds one record into the state. Records must come in sequence order; a fact about something the state
    /// does not know (a deleted webhook, say) changes nothing.
    public mutating func evolve(_ entry: LoggedRecord) {
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
        case .eventReceived(let fact):
            for fanout in fact.deliveries {
                let reference = DeliveryReference(
                    deliveryID: fanout.deliveryID, eventID: fact.eventID, eventType: fact.type,
                    eventSequence: entry.sequence)
                queues[fanout.webhookID]?.pending.append(QueuedDelivery(reference: reference, attempts: 0, nextAttemptAt: at))
            }
        case .attemptSucceeded(let fact):
            _ = queues[fact.webhookID]?.removePending(fact.deliveryID)
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
        case .deliverySkipped(let fact):
            if let skipped = queues[fact.webhookID]?.removePending(fact.deliveryID) {
                queues[fact.webhookID]?.skipped.append(skipped.reference)
            }
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
            for reference in fact.deliveries {
                queues[fact.webhookID]?.pending.append(QueuedDelivery(reference: reference, attempts: 0, nextAttemptAt: at))
            }
        case .redeliveryRequested(let fact):
            queues[fact.webhookID]?.pending.append(QueuedDelivery(reference: fact.delivery, attempts: 0, nextAttemptAt: at))
        }
    }

    /// Folds records in order.
    public mutating func evolve(_ entries: some Sequence<LoggedRecord>) {
        for entry in entries { evolve(entry) }
    }
}
