/// A value that names one delivery of one webhook and nothing else, encoded as the two ids.
public protocol WebhookDeliveryFact: BinaryCodable {
    /// The delivery it names.
    var deliveryID: DeliveryID { get }
    /// The webhook the delivery belongs to.
    var webhookID: WebhookID { get }
    /// The value naming `deliveryID` of `webhookID`.
    init(deliveryID: DeliveryID, webhookID: WebhookID)
}

extension WebhookDeliveryFact {
    public func encode(to writer: inout BinaryWriter) {
        writer.write(deliveryID)
        writer.write(webhookID)
    }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        self.init(deliveryID: try reader.read(), webhookID: try reader.read())
    }
}
