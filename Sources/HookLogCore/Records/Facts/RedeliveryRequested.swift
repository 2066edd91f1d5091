/// Someone asked to send a delivery's event again: a new delivery joins the webhook's queue.
public struct RedeliveryRequested: Hashable, Sendable, BinaryCodable {
    public var webhookID: WebhookID
    public var originalDeliveryID: DeliveryID
    /// The new delivery, with its own id and attempts.
    public var delivery: DeliveryReference

    public init(webhookID: WebhookID, originalDeliveryID: DeliveryID, delivery: DeliveryReference) {
        self.webhookID = webhookID
        self.originalDeliveryID = originalDeliveryID
        self.delivery = delivery
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
