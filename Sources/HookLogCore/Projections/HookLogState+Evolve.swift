extension HookLogState {
    /// Folds one record into the state, and returns the reads that refill the queue windows it left at half or
    /// less (docs/rules.md §3.4): the fold itself reads nothing and never fails. Records must come in sequence order;
    /// a fact about something the state does not know (a deleted webhook, say) changes nothing. Until its refill is
    /// fed back with ``refill(_:with:)``, a queue may have fewer deliveries in its window than it could; fold the
    /// next record only after feeding back this one's refills, as ``evolve(_:refillingFrom:)`` does.
    @discardableResult
    public mutating func evolve(_ entry: LoggedRecord) -> [QueueRefill] {
        let at = entry.record.at
        lastSequence = entry.sequence
        countInAudit(entry.record)
        evolveOperations(entry)
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
                secret: fact.secret, status: .active, createdAt: at, format: fact.format, rateLimit: fact.rateLimit)
            queues[fact.webhookID] = DeliveryQueue()
            workspaces[fact.workspaceID]?.webhookIDs.append(fact.webhookID)
        case .webhookUpdated(let fact):
            webhooks[fact.webhookID]?.url = fact.url
            webhooks[fact.webhookID]?.events = fact.events
            webhooks[fact.webhookID]?.format = fact.format
            webhooks[fact.webhookID]?.rateLimit = fact.rateLimit
        case .webhookSecretRotated(let fact):
            guard let old = webhooks[fact.webhookID] else { return [] }
            webhooks[fact.webhookID]?.secret = fact.secret
            let overlaps = at < fact.previousSecretEndsAt
            webhooks[fact.webhookID]?.previousSecret = overlaps ? old.secret : nil
            webhooks[fact.webhookID]?.previousSecretEndsAt = overlaps ? fact.previousSecretEndsAt : nil
        case .webhookDeleted(let fact):
            guard let webhook = webhooks.removeValue(forKey: fact.webhookID) else { return [] }
            queues[fact.webhookID] = nil
            notifications[fact.webhookID] = nil
            audits[fact.webhookID] = nil
            workspaces[webhook.workspaceID]?.webhookIDs.removeAll { $0 == fact.webhookID }
        case .eventReceived:
            enqueueDeliveries(of: entry)
        case .attemptSucceeded(let fact):
            return changeQueue(of: fact.webhookID) { _ = $0.removePending(fact.deliveryID) }
        case .attemptFailed(let fact):
            if let workspaceID = webhooks[fact.webhookID]?.workspaceID {
                if budgetWarning(of: workspaceID, at: at) == nil { budgetWarnings[workspaceID] = nil }
                errorWindows[workspaceID, default: ErrorWindow()].record(at, window: policy.errorWindow)
            }
            withQueue(of: fact.webhookID) { queue in
                queue.updatePending(fact.deliveryID) { delivery in
                    delivery.attempts = fact.number
                    delivery.nextAttemptAt = fact.nextAttemptAt ?? at
                }
            }
        case .deliveryDropped(let fact):
            return changeQueue(of: fact.webhookID) { _ = $0.removePending(fact.deliveryID) }
        case .deliverySkipped(let fact):
            return changeQueue(of: fact.webhookID) { $0.skipPending(fact.deliveryID) }
        case .webhookDisabled(let fact):
            guard let webhook = webhooks[fact.webhookID] else { return [] }
            webhooks[fact.webhookID]?.status = .disabled
            webhooks[fact.webhookID]?.disabledReason = fact.reason
            webhooks[fact.webhookID]?.disabledAt = at
            if let owner = workspaces[webhook.workspaceID]?.ownerEmail {
                notifications[fact.webhookID] = PendingNotification(
                    webhookID: fact.webhookID, recipient: owner, disabledAt: at, failedAttempts: 0, nextAttemptAt: at)
            }
            if fact.skippedDeliveries != nil { withQueue(of: fact.webhookID) { $0.skipAll() } }
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
            budgetWarnings[fact.workspaceID] = nil
            if fact.recover, fact.recoveredDeliveries != nil {
                return changeQueue(of: fact.webhookID) { $0.recoverSkipped(at: at) }
            }
            withQueue(of: fact.webhookID) { $0.forgetSkipped() }
        case .deliveriesRecovered(let fact):
            let recovered = Set(fact.deliveries.map(\.deliveryID))
            withQueue(of: fact.webhookID) { $0.skipped.removeAll { recovered.contains($0.deliveryID) } }
            enqueueDeliveries(of: entry)
        case .redeliveryRequested:
            enqueueDeliveries(of: entry)
        case .historyCompacted(let fact):
            expireSkips(at: fact)
        case .warningThresholdReached(let fact):
            let warning = BudgetWarning(fact, at: at)
            budgetWarnings[fact.workspaceID] = warning
            if let owner = workspaces[fact.workspaceID]?.ownerEmail {
                warningNotifications[fact.workspaceID] = PendingWarning(
                    workspaceID: fact.workspaceID, recipient: owner, warning: warning, failedAttempts: 0, nextAttemptAt: at)
            }
        case .warningNotificationSent(let fact):
            warningNotifications[fact.workspaceID] = nil
        case .warningNotificationFailed(let fact):
            warningNotifications[fact.workspaceID]?.failedAttempts = fact.attempt
            warningNotifications[fact.workspaceID]?.nextAttemptAt = fact.nextAttemptAt
        case .operationsWebhookSet, .operationsWebhookRemoved, .operationsAttemptSucceeded, .operationsAttemptFailed,
             .operationsMessageDropped:
            break  // folded by evolveOperations, with the messages the other records queue
        }
        return []
    }

    /// Feeds back what a ``QueueRefill`` that ``evolve(_:)`` returned read from the log.
    public mutating func refill(_ refill: QueueRefill, with page: QueuePage) {
        withQueue(of: refill.webhookID) { $0.refill(with: page) }
    }

    /// Folds one record and performs the refills it asks for from `log`, the records folded so far, this one
    /// included: how the store, a rebuild and the simulator fold.
    public mutating func evolve<Log: QueuedDeliverySource>(_ entry: LoggedRecord, refillingFrom log: Log) throws(Log.Failure) {
        for refill in evolve(entry) {
            self.refill(refill, with: try log.page(for: refill))
        }
    }

    /// Folds records in order, as ``evolve(_:)`` does, into a state whose queues fit their windows (a test's, a
    /// benchmark's): a refill one of them asks for is left undone.
    public mutating func evolve(_ entries: some Sequence<LoggedRecord>) {
        for entry in entries { evolve(entry) }
    }

    /// Puts the deliveries `entry` queues at the end of their webhooks' queues.
    private mutating func enqueueDeliveries(of entry: LoggedRecord) {
        let window = queueWindow ?? .max
        entry.forEachQueuedDelivery { index, webhookID, delivery in
            withQueue(of: webhookID) {
                $0.enqueue(delivery, at: QueuePosition(sequence: entry.sequence, index: index), window: window)
            }
        }
    }

    /// Docs/rules.md §3.7: forgets, for each webhook disabled before the cut-off, the run of skipped deliveries whose
    /// events are at or before the cut, those beyond the window by the count the record carries.
    private mutating func expireSkips(at cut: HistoryCompacted) {
        let beyondWindows = Dictionary(cut.expiredBeyondWindows.map { ($0.webhookID, $0) }, uniquingKeysWith: { $1 })
        for (webhookID, webhook) in webhooks where webhook.status == .disabled && (webhook.disabledAt ?? cut.before) < cut.before {
            withQueue(of: webhookID) { $0.expireSkipped(through: cut.through, beyondWindow: beyondWindows[webhookID]) }
        }
    }

    /// Changes the queue of `webhookID`, if the state has one, where the dictionary stores it: `queues[id]?.change()`
    /// goes through an Optional copy of the queue, and changing it in place took a rebuild from 1.56 M to 2.13 M
    /// records/s.
    mutating func withQueue(of webhookID: WebhookID, _ change: (inout DeliveryQueue) -> Void) {
        guard let index = queues.index(forKey: webhookID) else { return }
        change(&queues.values[index])
    }

    /// Changes the queue of `webhookID` as ``withQueue(of:_:)`` does, and returns the refill its window then needs.
    private mutating func changeQueue(of webhookID: WebhookID, _ change: (inout DeliveryQueue) -> Void) -> [QueueRefill] {
        let window = queueWindow ?? .max
        var refill: QueueRefill?
        withQueue(of: webhookID) { queue in
            change(&queue)
            refill = queue.refillNeeded(webhookID, window: window)
        }
        return refill.map { [$0] } ?? []
    }
}
