/// The query indexes a record belongs to (docs/rules.md §3): by webhook, event, workspace, delivery and idempotency key.
/// The store writes these keys in the same transaction as the record; the time index needs no help.
public struct IndexKeys: Hashable, Sendable {
    public var webhooks: [WebhookID] = []
    public var events: [EventID] = []
    public var workspaces: [WorkspaceID] = []
    public var deliveries: [DeliveryID] = []
    /// The `Idempotency-Key` an `EventReceived` carries, so that a repeated request finds the records it repeats.
    public var idempotencyKeys: [IdempotencyKey] = []

    /// The index keys of `record`, given the state just before it is folded in (which tells, for instance,
    /// which event an attempt's delivery carries).
    public init(of record: Record, in state: HookLogState) {
        switch record.fact {
        case .workspaceCreated(let fact):
            workspaces = [fact.workspaceID]
        case .workspacePlanChanged(let fact):
            workspaces = [fact.workspaceID]
        case .apiKeyIssued(let fact):
            workspaces = [fact.workspaceID]
        case .apiKeyRevoked(let fact):
            workspaces = state.apiKeys[fact.keyID].map { [$0.workspaceID] } ?? []
        case .webhookCreated(let fact):
            addWebhook(fact.webhookID, workspace: fact.workspaceID)
        case .webhookUpdated(let fact):
            addWebhook(fact.webhookID, in: state)
        case .webhookDeleted(let fact):
            addWebhook(fact.webhookID, in: state)
        case .eventReceived(let fact):
            events = [fact.eventID]
            workspaces = [fact.workspaceID]
            webhooks = fact.deliveries.map(\.webhookID)
            deliveries = fact.deliveries.map(\.deliveryID)
            idempotencyKeys = IdempotencyKey(of: fact).map { [$0] } ?? []
        case .attemptSucceeded(let fact):
            addDelivery(fact.deliveryID, of: fact.webhookID, in: state)
        case .attemptFailed(let fact):
            addDelivery(fact.deliveryID, of: fact.webhookID, in: state)
        case .deliveryDropped(let fact):
            addDelivery(fact.deliveryID, of: fact.webhookID, in: state)
        case .deliverySkipped(let fact):
            addDelivery(fact.deliveryID, of: fact.webhookID, in: state)
        case .webhookDisabled(let fact):
            addWebhook(fact.webhookID, workspace: fact.workspaceID)
        case .notificationSent(let fact):
            addWebhook(fact.webhookID, in: state)
        case .notificationFailed(let fact):
            addWebhook(fact.webhookID, in: state)
        case .webhookEnabled(let fact):
            addWebhook(fact.webhookID, workspace: fact.workspaceID)
        case .deliveriesRecovered(let fact):
            addWebhook(fact.webhookID, in: state)
            deliveries = fact.deliveries.map(\.deliveryID)
            events = Array(Set(fact.deliveries.map(\.eventID))).sorted()
        case .redeliveryRequested(let fact):
            addWebhook(fact.webhookID, in: state)
            deliveries = [fact.delivery.deliveryID, fact.originalDeliveryID]
            events = [fact.delivery.eventID]
        }
    }

    private mutating func addWebhook(_ webhookID: WebhookID, workspace: WorkspaceID) {
        webhooks = [webhookID]
        workspaces = [workspace]
    }

    private mutating func addWebhook(_ webhookID: WebhookID, in state: HookLogState) {
        webhooks = [webhookID]
        workspaces = state.webhooks[webhookID].map { [$0.workspaceID] } ?? []
    }

    private mutating func addDelivery(_ deliveryID: DeliveryID, of webhookID: WebhookID, in state: HookLogState) {
        addWebhook(webhookID, in: state)
        deliveries = [deliveryID]
        events = state.pendingDelivery(deliveryID, of: webhookID).map { [$0.reference.eventID] } ?? []
    }
}
