/// Turns a command into the records it causes, given the state and the time: the pure half of every write.
///
/// `decide` reads the state and never changes it; the caller appends the records and folds them with
/// ``HookLogState/evolve(_:refillingFrom:)``. New ids and secrets come from `ids`, so a seeded source gives a reproducible
/// log. It reads nothing but its arguments: a command that needs the log beyond the state is prepared first
/// (``Command/prepared(against:reading:)``).
public enum Decider {
    /// The records `command` causes at `now`; throws the ``DecisionError`` it is refused with.
    public static func decide<G: RandomNumberGenerator>(
        _ command: Command, state: HookLogState, now: Timestamp, ids: inout IdentifierSource<G>
    ) throws(DecisionError) -> [Record] {
        let facts: [Fact]
        switch command {
        case .createWorkspace(let name, let plan, let ownerEmail):
            facts = [.workspaceCreated(try workspaceCreated(name: name, plan: plan, ownerEmail: ownerEmail, now: now, ids: &ids))]
        case .createWorkspaceWithKey(let name, let plan, let ownerEmail, let keyHash, let hint):
            let created = try workspaceCreated(name: name, plan: plan, ownerEmail: ownerEmail, now: now, ids: &ids)
            facts = [
                .workspaceCreated(created),
                .apiKeyIssued(ApiKeyIssued(keyID: ids.next(at: now), workspaceID: created.workspaceID, keyHash: keyHash, hint: hint)),
            ]
        case .changeWorkspace(let workspaceID, let plan, let ownerEmail):
            let workspace = try state.workspace(workspaceID)
            if let ownerEmail { try Validation.checkEmail(ownerEmail) }
            facts = [.workspacePlanChanged(WorkspacePlanChanged(
                workspaceID: workspaceID, plan: plan ?? workspace.plan, ownerEmail: ownerEmail ?? workspace.ownerEmail))]
        case .issueApiKey(let workspaceID, let keyHash, let hint, let limit):
            _ = try state.workspace(workspaceID)
            if let limit, state.apiKeys.count(of: workspaceID) >= limit {
                throw DecisionError(
                    .limitReached,
                    "workspace \(workspaceID) has \(limit) API keys, the most a workspace may have "
                        + "(--max-keys-per-workspace \(limit)); revoke one before issuing another")
            }
            facts = [.apiKeyIssued(ApiKeyIssued(keyID: ids.next(at: now), workspaceID: workspaceID, keyHash: keyHash, hint: hint))]
        case .revokeApiKey(let keyID, let sparingLastKey):
            guard let key = state.apiKeys[keyID] else { throw DecisionError(.notFound, "no API key \(keyID)") }
            if sparingLastKey, state.apiKeys.count(of: key.workspaceID) == 1 {
                throw DecisionError(
                    .conflict,
                    "\(keyID) is the workspace's last API key; issue another key before revoking this one")
            }
            facts = [.apiKeyRevoked(ApiKeyRevoked(keyID: keyID))]
        case .createWebhook(let workspaceID, let url, let events, let format, let rateLimit, let limit):
            let workspace = try state.workspace(workspaceID)
            guard workspace.plan.allowsWebhooks else {
                throw DecisionError(
                    .planRequired,
                    "webhooks need the advanced plan or higher; workspace \(workspaceID) is on \(workspace.plan.rawValue)")
            }
            if let limit { try WorkspaceLimits.checkWebhookCount(of: workspace, limit: limit) }
            try Validation.checkEndpointURL(url)
            if let rateLimit { try Validation.checkRateLimit(rateLimit) }
            facts = [.webhookCreated(WebhookCreated(
                webhookID: ids.next(at: now), workspaceID: workspaceID, url: url,
                events: try Validation.normalizedEvents(events), secret: ids.nextSecret(), format: format,
                rateLimit: rateLimit))]
        case .updateWebhook(let webhookID, let url, let events, let format, let rateLimit):
            let webhook = try state.webhook(webhookID)
            if let url { try Validation.checkEndpointURL(url) }
            if case .limit(let limit) = rateLimit { try Validation.checkRateLimit(limit) }
            facts = [.webhookUpdated(WebhookUpdated(
                webhookID: webhookID, url: url ?? webhook.url,
                events: try events.map { events throws(DecisionError) in try Validation.normalizedEvents(events) } ?? webhook.events,
                format: format ?? webhook.format, rateLimit: rateLimit.map(\.perSecond) ?? webhook.rateLimit))]
        case .deleteWebhook(let webhookID):
            _ = try state.webhook(webhookID)
            facts = [.webhookDeleted(WebhookDeleted(webhookID: webhookID))]
        case .rotateWebhookSecret(let webhookID, let overlap):
            _ = try state.webhook(webhookID)
            guard overlap >= .zero else {
                throw DecisionError(.invalidField, "a secret's overlap cannot be negative")
            }
            facts = [.webhookSecretRotated(WebhookSecretRotated(
                webhookID: webhookID, secret: ids.nextSecret(), previousSecretEndsAt: now.adding(overlap)))]
        case .receiveEvent(let event):
            facts = try receive(event, state: state, now: now, ids: &ids)
        case .recordAttempt(let report):
            facts = try record(report, state: state, now: now)
        case .recordNotification(let webhookID, let error):
            guard let pending = state.notifications[webhookID] else {
                throw DecisionError(.conflict, "no disable e-mail is waiting to be sent for webhook \(webhookID)")
            }
            let attempt = pending.failedAttempts + 1
            if let error {
                facts = [.notificationFailed(NotificationFailed(
                    webhookID: webhookID, recipient: pending.recipient, attempt: attempt, error: error,
                    nextAttemptAt: DeliveryRules.notificationRetryTime(afterFailedAttempt: attempt, at: now)))]
            } else {
                facts = [.notificationSent(NotificationSent(webhookID: webhookID, recipient: pending.recipient, attempt: attempt))]
            }
        case .recordWarningNotification(let workspaceID, let error):
            guard let pending = state.warningNotifications[workspaceID] else {
                throw DecisionError(.conflict, "no warning e-mail is waiting to be sent for workspace \(workspaceID)")
            }
            let attempt = pending.failedAttempts + 1
            if let error {
                facts = [.warningNotificationFailed(WarningNotificationFailed(
                    workspaceID: workspaceID, recipient: pending.recipient, attempt: attempt, error: error,
                    nextAttemptAt: DeliveryRules.notificationRetryTime(afterFailedAttempt: attempt, at: now)))]
            } else {
                facts = [.warningNotificationSent(WarningNotificationSent(
                    workspaceID: workspaceID, recipient: pending.recipient, attempt: attempt))]
            }
        case .setOperationsWebhook(let workspaceID, let url):
            facts = try setOperationsWebhook(of: workspaceID, to: url, state: state, ids: &ids)
        case .removeOperationsWebhook(let workspaceID):
            facts = try removeOperationsWebhook(of: workspaceID, state: state)
        case .recordOperationsAttempt(let report):
            facts = try recordOperations(report, state: state, now: now)
        case .enableWebhook(let webhookID, let recover):
            facts = try enable(webhookID, recover: recover, state: state)
        case .recoverDeliveries(let webhookID, let deliveries):
            let webhook = try state.webhook(webhookID)
            guard webhook.status == .active else {
                throw DecisionError(.conflict, "webhook \(webhookID) is disabled; enable it before recovering deliveries")
            }
            var seen = Set(state.queues[webhookID]?.pending.map(\.reference.deliveryID) ?? [])
            let recoverable = deliveries.filter { seen.insert($0.deliveryID).inserted }
            facts = stride(from: 0, to: recoverable.count, by: DeliveriesRecovered.maxDeliveries).map { start in
                let page = recoverable[start..<min(start + DeliveriesRecovered.maxDeliveries, recoverable.count)]
                return .deliveriesRecovered(DeliveriesRecovered(webhookID: webhookID, deliveries: Array(page)))
            }
        case .redeliver(let webhookID, let original, let eventID, let eventType, let eventSequence):
            let webhook = try state.webhook(webhookID)
            guard webhook.status == .active else {
                throw DecisionError(.conflict, "webhook \(webhookID) is disabled; enable it before redelivering")
            }
            facts = [.redeliveryRequested(RedeliveryRequested(
                webhookID: webhookID, originalDeliveryID: original,
                delivery: DeliveryReference(deliveryID: ids.next(at: now), eventID: eventID, eventType: eventType, eventSequence: eventSequence)))]
        case .compactHistory(let through, let before, let expired):
            guard through <= state.lastSequence else {
                throw DecisionError(.invalidField, "the log ends at \(state.lastSequence); it cannot be cut at \(through)")
            }
            facts = [.historyCompacted(HistoryCompacted(through: through, before: before, expiredBeyondWindows: expired))]
        }
        return makingRoomForOperationsMessages(facts, state: state).map { Record(at: now, $0) }
    }

    /// A new workspace, once its name and owner e-mail pass the rules.
    static func workspaceCreated<G: RandomNumberGenerator>(
        name: String, plan: Plan, ownerEmail: String, now: Timestamp, ids: inout IdentifierSource<G>
    ) throws(DecisionError) -> WorkspaceCreated {
        try Validation.checkName(name)
        try Validation.checkEmail(ownerEmail)
        return WorkspaceCreated(workspaceID: ids.next(at: now), name: name, plan: plan, ownerEmail: ownerEmail)
    }

    /// §1 and §2.5: an event fans out to every webhook of its workspace subscribed to its type, when the plan allows
    /// webhooks; deliveries to a disabled webhook are skipped at once ("every later matching event becomes skipped").
    static func receive<G: RandomNumberGenerator>(
        _ event: IncomingEvent, state: HookLogState, now: Timestamp, ids: inout IdentifierSource<G>
    ) throws(DecisionError) -> [Fact] {
        let workspace = try state.workspace(event.workspaceID)
        if let eventID = event.eventID { try Validation.checkClientID(eventID.rawValue, field: "id") }
        if let key = event.idempotencyKey { try Validation.checkClientID(key, field: "Idempotency-Key") }
        guard event.data.count <= Validation.maxEventDataBytes else {
            throw DecisionError(
                .payloadTooLarge,
                "event data is \(event.data.count) bytes; at most \(Validation.maxEventDataBytes) are allowed")
        }
        let subscribers = workspace.plan.allowsWebhooks
            ? state.webhooks(of: event.workspaceID).filter { $0.subscribes(to: event.type) } : []
        let fanout = subscribers.map { EventReceived.Fanout(deliveryID: ids.next(at: now), webhookID: $0.id) }
        let received = EventReceived(
            eventID: event.eventID ?? ids.next(at: now), workspaceID: event.workspaceID, type: event.type,
            occurredAt: event.occurredAt ?? now, data: event.data, idempotencyKey: event.idempotencyKey,
            deliveries: fanout)
        let skipped = zip(subscribers, fanout).filter { $0.0.status == .disabled }.map {
            Fact.deliverySkipped(DeliverySkipped(deliveryID: $0.1.deliveryID, webhookID: $0.1.webhookID))
        }
        return [.eventReceived(received)] + skipped
    }

    /// §2.1, §2.3, §2.4 and §2.5 applied to one attempt of a queue's head: the attempt's record, then a drop when it
    /// was the last, then a disable when it crossed the workspace's error budget (``overBudget(_:failedAttempt:dropped:state:now:)``).
    static func record(_ report: AttemptReport, state: HookLogState, now: Timestamp) throws(DecisionError) -> [Fact] {
        let webhook = try state.webhook(report.webhookID)
        guard let head = state.queues[report.webhookID]?.head, head.reference.deliveryID == report.deliveryID else {
            throw DecisionError(
                .conflict, "delivery \(report.deliveryID) is not the head of webhook \(report.webhookID)'s queue")
        }
        let number = head.attempts + 1
        let snippet = Validation.snippet(report.responseSnippet)
        let failure: AttemptFailure
        switch report.outcome {
        case .status(let code) where DeliveryRules.isSuccess(statusCode: code):
            return [.attemptSucceeded(AttemptSucceeded(
                deliveryID: report.deliveryID, webhookID: report.webhookID, number: number, startedAt: report.startedAt,
                durationMilliseconds: report.durationMilliseconds, statusCode: code, responseSnippet: snippet))]
        case .status(let code) where DeliveryRules.isGone(statusCode: code):
            return gone(webhook, report, number: number, snippet: snippet, state: state, now: now)
        case .status(let code):
            failure = .status(code)
        case .error(let error):
            failure = .error(error)
        }
        let retryAt = DeliveryRules.retryTime(afterFailedAttempt: number, at: now, policy: state.policy)
        var facts: [Fact] = [.attemptFailed(AttemptFailed(
            deliveryID: report.deliveryID, webhookID: report.webhookID, number: number, startedAt: report.startedAt,
            durationMilliseconds: report.durationMilliseconds, failure: failure, responseSnippet: snippet,
            nextAttemptAt: retryAt))]
        if retryAt == nil {
            facts.append(.deliveryDropped(DeliveryDropped(deliveryID: report.deliveryID, webhookID: report.webhookID)))
        }
        if let warning = warningThreshold(reachedBy: webhook, state: state, now: now) {
            facts.append(.warningThresholdReached(warning))
        }
        if let disabled = overBudget(webhook, dropped: retryAt == nil, state: state, now: now) {
            facts.append(.webhookDisabled(disabled))
        }
        return facts
    }

    /// §2.5, an endpoint that answered `410 Gone`: the failed attempt, not to be retried, then the disable of its
    /// webhook, which skips the whole queue, that delivery included (recoverable, unlike a drop). The failure counts
    /// against the budget like any other.
    static func gone(
        _ webhook: Webhook, _ report: AttemptReport, number: Int, snippet: String, state: HookLogState, now: Timestamp
    ) -> [Fact] {
        [
            .attemptFailed(AttemptFailed(
                deliveryID: report.deliveryID, webhookID: report.webhookID, number: number, startedAt: report.startedAt,
                durationMilliseconds: report.durationMilliseconds, failure: .status(410), responseSnippet: snippet,
                nextAttemptAt: nil)),
        ] + (warningThreshold(reachedBy: webhook, state: state, now: now).map { [.warningThresholdReached($0)] } ?? []) + [
            .webhookDisabled(WebhookDisabled(
                webhookID: webhook.id, workspaceID: webhook.workspaceID, reason: DeliveryRules.goneReason,
                errorCount: state.errorCount(of: webhook.workspaceID, at: now) + 1,
                skippedDeliveries: state.queues[webhook.id]?.count ?? 0)),
        ]
    }

    /// §2.4 and §2.5, the interplay of a failed attempt with the budget: the failure counts one error for the
    /// workspace; when that puts the trailing window over the limit, the active webhook whose attempt failed is
    /// disabled, and everything still in its queue (the failed delivery too, unless it was `dropped`) is skipped.
    static func overBudget(_ webhook: Webhook, dropped: Bool, state: HookLogState, now: Timestamp) -> WebhookDisabled? {
        let errors = state.errorCount(of: webhook.workspaceID, at: now) + 1
        guard webhook.status == .active, DeliveryRules.exceedsErrorBudget(errorsInWindow: errors, policy: state.policy)
        else { return nil }
        let window = state.policy.errorWindow.components.seconds / 60
        let queued = state.queues[webhook.id]?.count ?? 0
        return WebhookDisabled(
            webhookID: webhook.id, workspaceID: webhook.workspaceID,
            reason: "\(errors) failed attempts in the last \(window) minutes across the workspace's webhooks (limit \(state.policy.errorLimit))",
            errorCount: errors, skippedDeliveries: dropped ? queued - 1 : queued)
    }

    /// §2.4, the early warning: a failure of `webhook` that brings its workspace's window to the warning threshold
    /// (without taking it over the limit) while the warning is armed owes the owner a warning e-mail; the warning
    /// then stays disarmed for the rest of the crossing (``HookLogState/budgetWarning(of:at:)``).
    static func warningThreshold(reachedBy webhook: Webhook, state: HookLogState, now: Timestamp) -> WarningThresholdReached? {
        let errors = state.errorCount(of: webhook.workspaceID, at: now) + 1
        guard let warnAt = state.policy.warningThreshold,
              DeliveryRules.reachesWarning(errorsInWindow: errors, policy: state.policy),
              state.budgetWarning(of: webhook.workspaceID, at: now) == nil
        else { return nil }
        return WarningThresholdReached(
            workspaceID: webhook.workspaceID, errorCount: errors, warnAt: warnAt, errorLimit: state.policy.errorLimit)
    }

    /// §2.6: enabling makes the webhook active and starts a fresh error window; with `recover`, the deliveries
    /// skipped while it was disabled are queued again in their original order. Enabling an active webhook does nothing.
    static func enable(_ webhookID: WebhookID, recover: Bool, state: HookLogState) throws(DecisionError) -> [Fact] {
        let webhook = try state.webhook(webhookID)
        guard webhook.status == .disabled else { return [] }
        let skipped = state.queues[webhookID]?.skippedCount ?? 0
        return [.webhookEnabled(WebhookEnabled(
            webhookID: webhookID, workspaceID: webhook.workspaceID, recover: recover,
            recoveredDeliveries: recover ? skipped : 0))]
    }
}

extension HookLogState {
    func workspace(_ id: WorkspaceID) throws(DecisionError) -> Workspace {
        guard let workspace = workspaces[id] else { throw DecisionError(.notFound, "no workspace \(id)") }
        return workspace
    }

    func webhook(_ id: WebhookID) throws(DecisionError) -> Webhook {
        guard let webhook = webhooks[id] else { throw DecisionError(.notFound, "no webhook \(id)") }
        return webhook
    }
}
