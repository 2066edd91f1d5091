/// Everything that can happen in HookLog, each a fact named in the past tense (docs/rules.md §3).
///
/// Each case carries a ``FactPayload`` that knows its own tag, name, fields and index keys; the folds switch on the
/// cases.
public enum Fact: Hashable, Sendable {
    case workspaceCreated(WorkspaceCreated)
    case workspacePlanChanged(WorkspacePlanChanged)
    case apiKeyIssued(ApiKeyIssued)
    case apiKeyRevoked(ApiKeyRevoked)
    case webhookCreated(WebhookCreated)
    case webhookUpdated(WebhookUpdated)
    case webhookDeleted(WebhookDeleted)
    case eventReceived(EventReceived)
    case attemptSucceeded(AttemptSucceeded)
    case attemptFailed(AttemptFailed)
    case deliveryDropped(DeliveryDropped)
    case deliverySkipped(DeliverySkipped)
    case webhookDisabled(WebhookDisabled)
    case notificationSent(NotificationSent)
    case notificationFailed(NotificationFailed)
    case webhookEnabled(WebhookEnabled)
    case deliveriesRecovered(DeliveriesRecovered)
    case redeliveryRequested(RedeliveryRequested)
    case historyCompacted(HistoryCompacted)
    case webhookSecretRotated(WebhookSecretRotated)
    case warningThresholdReached(WarningThresholdReached)
    case warningNotificationSent(WarningNotificationSent)
    case warningNotificationFailed(WarningNotificationFailed)
    case operationsWebhookSet(OperationsWebhookSet)
    case operationsWebhookRemoved(OperationsWebhookRemoved)
    case operationsAttemptSucceeded(OperationsAttemptSucceeded)
    case operationsAttemptFailed(OperationsAttemptFailed)
    case operationsMessageDropped(OperationsMessageDropped)

    /// The fact's struct, which knows its tag, name, fields and index keys.
    public var payload: any FactPayload {
        switch self {
        case .workspaceCreated(let payload): payload
        case .workspacePlanChanged(let payload): payload
        case .apiKeyIssued(let payload): payload
        case .apiKeyRevoked(let payload): payload
        case .webhookCreated(let payload): payload
        case .webhookUpdated(let payload): payload
        case .webhookDeleted(let payload): payload
        case .eventReceived(let payload): payload
        case .attemptSucceeded(let payload): payload
        case .attemptFailed(let payload): payload
        case .deliveryDropped(let payload): payload
        case .deliverySkipped(let payload): payload
        case .webhookDisabled(let payload): payload
        case .notificationSent(let payload): payload
        case .notificationFailed(let payload): payload
        case .webhookEnabled(let payload): payload
        case .deliveriesRecovered(let payload): payload
        case .redeliveryRequested(let payload): payload
        case .historyCompacted(let payload): payload
        case .webhookSecretRotated(let payload): payload
        case .warningThresholdReached(let payload): payload
        case .warningNotificationSent(let payload): payload
        case .warningNotificationFailed(let payload): payload
        case .operationsWebhookSet(let payload): payload
        case .operationsWebhookRemoved(let payload): payload
        case .operationsAttemptSucceeded(let payload): payload
        case .operationsAttemptFailed(let payload): payload
        case .operationsMessageDropped(let payload): payload
        }
    }

    /// The record type's name as docs/rules.md §3 spells it (`AttemptFailed`).
    public var typeName: String { type(of: payload).name }
}
