/// A delivery's last attempt failed: it is given up and its queue moves on.
public struct DeliveryDropped: FactPayload, WebhookDeliveryFact {
    public var deliveryID: DeliveryID
    public var webhookID: WebhookID

    public init(deliveryID: DeliveryID, webhookID: WebhookID) {
        self.deliveryID = deliveryID
        self.webhookID = webhookID
    }

    public static var tag: FactTag { .deliveryDropped }
    public static var name: String { "DeliveryDropped" }
    public var fact: Fact { .deliveryDropped(self) }

    public var fields: [(String, JSONValue)] {
        [("delivery_id", .id(deliveryID)), ("webhook_id", .id(webhookID))]
    }

    public func indexKeys(in state: HookLogState) -> IndexKeys {
        .delivery(deliveryID, of: webhookID, in: state)
    }
}
