/// A delivery was set aside, unsent, because its webhook is disabled; it can be recovered later.
public struct DeliverySkipped: FactPayload, WebhookDeliveryFact {
    public var deliveryID: DeliveryID
    public var webhookID: WebhookID

    public init(deliveryID: DeliveryID, webhookID: WebhookID) {
        self.deliveryID = deliveryID
        self.webhookID = webhookID
    }

    public static var tag: FactTag { .deliverySkipped }
    public static var name: String { "DeliverySkipped" }
    public var fact: Fact { .deliverySkipped(self) }

    public var fields: [(String, JSONValue)] {
        [("delivery_id", .id(deliveryID)), ("webhook_id", .id(webhookID))]
    }

    public func indexKeys(in state: HookLogState) -> IndexKeys {
        .delivery(deliveryID, of: webhookID, in: state)
    }
}
