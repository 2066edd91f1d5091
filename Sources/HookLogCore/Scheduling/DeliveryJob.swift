/// A unit of delivery work: the head of one webhook's queue, or one webhook's disable e-mail.
public enum DeliveryJob: Hashable, Sendable {
    /// Attempt the head of this webhook's queue.
    case delivery(WebhookID)
    /// Send the e-mail telling the owner this webhook was disabled.
    case notification(WebhookID)
}

extension HookLogState {
    /// When `job` is next due: the queue head's next attempt time while the webhook is active, or the pending
    /// e-mail's next try; nil when there is nothing to do.
    public func due(_ job: DeliveryJob) -> Timestamp? {
        switch job {
        case .delivery(let webhookID):
            guard webhooks[webhookID]?.status == .active else { return nil }
            return queues[webhookID]?.head?.nextAttemptAt
        case .notification(let webhookID):
            return notifications[webhookID]?.nextAttemptAt
        }
    }
}

extension Fact {
    /// The jobs whose due time this fact may change.
    public var touchedJobs: [DeliveryJob] {
        switch self {
        case .eventReceived(let fact): fact.deliveries.map { .delivery($0.webhookID) }
        case .webhookCreated(let fact): [.delivery(fact.webhookID)]
        case .webhookDeleted(let fact): [.delivery(fact.webhookID), .notification(fact.webhookID)]
        case .webhookEnabled(let fact): [.delivery(fact.webhookID)]
        case .webhookDisabled(let fact): [.delivery(fact.webhookID), .notification(fact.webhookID)]
        case .deliveriesRecovered(let fact): [.delivery(fact.webhookID)]
        case .redeliveryRequested(let fact): [.delivery(fact.webhookID)]
        case .attemptSucceeded(let fact): [.delivery(fact.webhookID)]
        case .attemptFailed(let fact): [.delivery(fact.webhookID)]
        case .deliveryDropped(let fact): [.delivery(fact.webhookID)]
        case .deliverySkipped(let fact): [.delivery(fact.webhookID)]
        case .notificationSent(let fact): [.notification(fact.webhookID)]
        case .notificationFailed(let fact): [.notification(fact.webhookID)]
        case .workspaceCreated, .workspacePlanChanged, .apiKeyIssued, .apiKeyRevoked, .webhookUpdated, .historyCompacted,
             .webhookSecretRotated: []
        }
    }
}
