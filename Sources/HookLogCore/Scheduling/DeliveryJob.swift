/// A unit of delivery work, which holds one slot of the concurrency cap while it runs: the head of one webhook's
/// queue, one webhook's disable e-mail, one workspace's warning e-mail, the head of one workspace's operations queue,
/// or one test send to a webhook.
public enum DeliveryJob: Hashable, Sendable {
    /// Attempt the head of this webhook's queue.
    case delivery(WebhookID)
    /// Send the e-mail telling the owner this webhook was disabled.
    case notification(WebhookID)
    /// Send the e-mail warning the owner of this workspace that its error window reached the warning threshold.
    case warning(WorkspaceID)
    /// POST the head of this workspace's operations queue to its operations webhook (docs/rules.md §2.8).
    case operations(WorkspaceID)
    /// Send a test event to this webhook (`POST /v1/webhooks/{id}/test`); `ticket` tells one request from another.
    case testSend(WebhookID, ticket: Int)

    /// The workspace whose share the job's slot counts in: the one the job works for, or its webhook's in `state`;
    /// nil when `state` no longer knows the job's webhook.
    public func workspace(in state: HookLogState) -> WorkspaceID? {
        switch self {
        case .delivery(let webhookID), .notification(let webhookID), .testSend(let webhookID, _):
            state.webhooks[webhookID]?.workspaceID
        case .warning(let workspaceID):
            state.workspaces[workspaceID]?.id
        case .operations(let workspaceID):
            state.operationsWebhooks[workspaceID]?.workspaceID
        }
    }
}

extension HookLogState {
    /// When `job` is next due: the queue head's next attempt time while the webhook is active, or the pending
    /// disable or warning e-mail's next try, the operations queue head's next attempt; nil when there is nothing to do, and for a test send, which is due once, when asked.
    public func due(_ job: DeliveryJob) -> Timestamp? {
        switch job {
        case .delivery(let webhookID):
            guard webhooks[webhookID]?.status == .active else { return nil }
            return queues[webhookID]?.head?.nextAttemptAt
        case .notification(let webhookID):
            return notifications[webhookID]?.nextAttemptAt
        case .warning(let workspaceID):
            return warningNotifications[workspaceID]?.nextAttemptAt
        case .operations(let workspaceID):
            return operationsWebhooks[workspaceID]?.head?.nextAttemptAt
        case .testSend:
            return nil
        }
    }
}

extension Fact {
    /// The jobs whose due time this fact, folded into `state`, may change: ``webhookJobs``, and the operations queue
    /// of a workspace whose operations webhook it may change (``operationsWorkspace(in:)``).
    ///
    /// `state` may be later than the fact: a rotation or a drop whose webhook it no longer holds (deleted meanwhile)
    /// may still have queued a message, in a workspace it cannot name, so every operations queue is planned again.
    public func touchedJobs(in state: HookLogState) -> [DeliveryJob] {
        if let workspace = operationsWorkspace(in: state) { return webhookJobs + [.operations(workspace)] }
        let webhookGone =
            switch self {
            case .webhookSecretRotated(let fact): state.webhooks[fact.webhookID] == nil
            case .deliveryDropped(let fact): state.webhooks[fact.webhookID] == nil
            default: false
            }
        guard webhookGone else { return webhookJobs }
        return webhookJobs + state.operationsWebhooks.keys.sorted().map(DeliveryJob.operations)
    }

    /// The delivery, e-mail and warning jobs whose due time this fact may change.
    var webhookJobs: [DeliveryJob] {
        switch self {
        case .eventReceived(let fact): fact.deliveries.map { .delivery($0.webhookID) }
        case .webhookCreated(let fact): [.delivery(fact.webhookID)]
        case .webhookDeleted(let fact): [.delivery(fact.webhookID), .notification(fact.webhookID)]
        case .webhookEnabled(let fact): [.delivery(fact.webhookID)]
        case .webhookDisabled(let fact): [.delivery(fact.webhookID), .notification(fact.webhookID)]
        case .deliveriesRecovered(let fact): [.delivery(fact.webhookID)]
        case .redeliveryRequested(let fact): [.delivery(fact.webhookID)]
        case .webhookUpdated(let fact): [.delivery(fact.webhookID)]
        case .attemptSucceeded(let fact): [.delivery(fact.webhookID)]
        case .attemptFailed(let fact): [.delivery(fact.webhookID)]
        case .deliveryDropped(let fact): [.delivery(fact.webhookID)]
        case .deliverySkipped(let fact): [.delivery(fact.webhookID)]
        case .notificationSent(let fact): [.notification(fact.webhookID)]
        case .notificationFailed(let fact): [.notification(fact.webhookID)]
        case .warningThresholdReached(let fact): [.warning(fact.workspaceID)]
        case .warningNotificationSent(let fact): [.warning(fact.workspaceID)]
        case .warningNotificationFailed(let fact): [.warning(fact.workspaceID)]
        case .workspaceCreated, .workspacePlanChanged, .apiKeyIssued, .apiKeyRevoked, .historyCompacted,
             .webhookSecretRotated, .operationsWebhookSet, .operationsWebhookRemoved, .operationsAttemptSucceeded,
             .operationsAttemptFailed, .operationsMessageDropped: []
        }
    }
}
