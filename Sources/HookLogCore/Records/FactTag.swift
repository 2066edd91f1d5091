/// The type tag that introduces each fact in the log's binary encoding (docs/architecture.md, "Record encoding").
///
/// The numbers are fixed forever: a new fact takes the next number at the end, and no number is ever reused.
public enum FactTag: UInt8, CaseIterable, Sendable {
    case workspaceCreated = 1
    case workspacePlanChanged = 2
    case apiKeyIssued = 3
    case apiKeyRevoked = 4
    case webhookCreated = 5
    case webhookUpdated = 6
    case webhookDeleted = 7
    case eventReceived = 8
    case attemptSucceeded = 9
    case attemptFailed = 10
    case deliveryDropped = 11
    case deliverySkipped = 12
    case webhookDisabled = 13
    case notificationSent = 14
    case notificationFailed = 15
    case webhookEnabled = 16
    case deliveriesRecovered = 17
    case redeliveryRequested = 18
    case historyCompacted = 19
    case webhookSecretRotated = 20
    case warningThresholdReached = 21
    case warningNotificationSent = 22
    case warningNotificationFailed = 23
    case operationsWebhookSet = 24
    case operationsWebhookRemoved = 25
    case operationsAttemptSucceeded = 26
    case operationsAttemptFailed = 27
    case operationsMessageDropped = 28
}

extension FactTag {
    /// Reads the fact this tag introduces with its payload type's own decoder: the one place a tag is mapped to a
    /// type. Each arm calls the concrete type, so that decoding boxes no payload into an existential.
    func decodeFact(from reader: inout BinaryReader) throws(DecodingFailure) -> Fact {
        switch self {
        case .workspaceCreated: try reader.read(WorkspaceCreated.self).fact
        case .workspacePlanChanged: try reader.read(WorkspacePlanChanged.self).fact
        case .apiKeyIssued: try reader.read(ApiKeyIssued.self).fact
        case .apiKeyRevoked: try reader.read(ApiKeyRevoked.self).fact
        case .webhookCreated: try reader.read(WebhookCreated.self).fact
        case .webhookUpdated: try reader.read(WebhookUpdated.self).fact
        case .webhookDeleted: try reader.read(WebhookDeleted.self).fact
        case .eventReceived: try reader.read(EventReceived.self).fact
        case .attemptSucceeded: try reader.read(AttemptSucceeded.self).fact
        case .attemptFailed: try reader.read(AttemptFailed.self).fact
        case .deliveryDropped: try reader.read(DeliveryDropped.self).fact
        case .deliverySkipped: try reader.read(DeliverySkipped.self).fact
        case .webhookDisabled: try reader.read(WebhookDisabled.self).fact
        case .notificationSent: try reader.read(NotificationSent.self).fact
        case .notificationFailed: try reader.read(NotificationFailed.self).fact
        case .webhookEnabled: try reader.read(WebhookEnabled.self).fact
        case .deliveriesRecovered: try reader.read(DeliveriesRecovered.self).fact
        case .redeliveryRequested: try reader.read(RedeliveryRequested.self).fact
        case .historyCompacted: try reader.read(HistoryCompacted.self).fact
        case .webhookSecretRotated: try reader.read(WebhookSecretRotated.self).fact
        case .warningThresholdReached: try reader.read(WarningThresholdReached.self).fact
        case .warningNotificationSent: try reader.read(WarningNotificationSent.self).fact
        case .warningNotificationFailed: try reader.read(WarningNotificationFailed.self).fact
        case .operationsWebhookSet: try reader.read(OperationsWebhookSet.self).fact
        case .operationsWebhookRemoved: try reader.read(OperationsWebhookRemoved.self).fact
        case .operationsAttemptSucceeded: try reader.read(OperationsAttemptSucceeded.self).fact
        case .operationsAttemptFailed: try reader.read(OperationsAttemptFailed.self).fact
        case .operationsMessageDropped: try reader.read(OperationsMessageDropped.self).fact
        }
    }
}
