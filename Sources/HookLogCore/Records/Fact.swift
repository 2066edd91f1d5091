/// Everything that can happen in HookLog, each a fact named in the past tense (docs/rules.md §3).
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

    /// The record type's name as docs/rules.md §3 spells it (`AttemptFailed`).
    public var typeName: String {
        switch self {
        case .workspaceCreated: "WorkspaceCreated"
        case .workspacePlanChanged: "WorkspacePlanChanged"
        case .apiKeyIssued: "ApiKeyIssued"
        case .apiKeyRevoked: "ApiKeyRevoked"
        case .webhookCreated: "WebhookCreated"
        case .webhookUpdated: "WebhookUpdated"
        case .webhookDeleted: "WebhookDeleted"
        case .eventReceived: "EventReceived"
        case .attemptSucceeded: "AttemptSucceeded"
        case .attemptFailed: "AttemptFailed"
        case .deliveryDropped: "DeliveryDropped"
        case .deliverySkipped: "DeliverySkipped"
        case .webhookDisabled: "WebhookDisabled"
        case .notificationSent: "NotificationSent"
        case .notificationFailed: "NotificationFailed"
        case .webhookEnabled: "WebhookEnabled"
        case .deliveriesRecovered: "DeliveriesRecovered"
        case .redeliveryRequested: "RedeliveryRequested"
        }
    }
}
