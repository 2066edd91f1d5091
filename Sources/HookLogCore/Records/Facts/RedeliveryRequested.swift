/// Someone asked to send a delivery's event again: a new delivery joins the webhook's queue.
public struct RedeliveryRequested: FactPayload {
    public var webhookID: WebhookID
    public var originalDeliveryID: DeliveryID
    /// The new delivery, with its own id and attempts.
    public var delivery: DeliveryReference

    public init(webhookID: WebhookID, originalDeliveryID: DeliveryID, delivery: DeliveryReference) {
        self.webhookID = webhookID
        self.originalDeliveryID = originalDeliveryID
        self.delivery = delivery
    }

    public static var tag: FactTag { .redeliveryRequested }
    public static var name: String { "RedeliveryRequested" }
    public var fact: Fact { .redeliveryRequested(self) }

    public var fields: [(String, JSONValue)] {
        [("webhook_id", .id(webhookID)), ("original_delivery_id", .id(originalDeliveryID)),
         ("delivery_id", .id(delivery.deliveryID)), ("event_id", .id(delivery.eventID))]
    }

    /// The webhook, the new delivery and the original one, and their event.
    public func indexKeys(in state: HookLogState) -> IndexKeys {
        var keys = IndexKeys.webhook(webhookID, in: state)
        keys.deliveries = [delivery.deliveryID, originalDeliveryID]
        keys.events = [delivery.eventID]
        return keys
    }

    public func encode(to writer: inout BinaryWriter) {
        writer.write(webhookID)
        writer.write(originalDeliveryID)
        writer.write(delivery)
    }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        self.init(webhookID: try reader.read(), originalDeliveryID: try reader.read(), delivery: try reader.read())
    }
}
