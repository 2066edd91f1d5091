/// A delivery's last attempt failed: it is given up and its queue moves on.
public struct DeliveryDropped: Hashable, Sendable, WebhookDeliveryFact {
    public var deliveryID: DeliveryID
    public var webhookID: WebhookID

    public init(deliveryID: DeliveryID, webhookID: WebhookID) {
        self.deliveryID = deliveryID
        self.webhookID = webhookID
    }
}
