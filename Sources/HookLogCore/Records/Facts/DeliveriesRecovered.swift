/// Deliveries that were skipped or dropped were queued again, in this order, each with fresh attempts.
public struct DeliveriesRecovered: Hashable, Sendable, BinaryCodable {
    public var webhookID: WebhookID
    public var deliveries: [DeliveryReference]

    public init(webhookID: WebhookID, deliveries: [DeliveryReference]) {
        self.webhookID = webhookID
        self.deliveries = deliveries
    }

    public func encode(to writer: inout BinaryWriter) {
        writer.write(webhookID)
        writer.write(deliveries) { $0.write($1) }
    }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        self.init(
            webhookID: try reader.read(),
            deliveries: try reader.readArray { reader throws(DecodingFailure) in try reader.read() })
    }
}
