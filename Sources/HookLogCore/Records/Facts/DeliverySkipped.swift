/// A delivery was set aside, unsent, because its webhook is disabled; it can be recovered later.
public struct DeliverySkipped: Hashable, Sendable, WebhookDeliveryFact {
    public var deliveryID: DeliveryID
    public var webhookID: WebhookID

    public init(deliveryID: DeliveryID, webhookID: WebhookID) {
        self.deliveryID = deliveryID
        self.webhookID = webhookID
    }
}
