/// Deliveries that were skipped or dropped were queued again, in this order, each with fresh attempts.
public struct DeliveriesRecovered: FactPayload {
    /// The most deliveries one record carries: a larger recovery is several records in a row, so that no record, nor
    /// the index entries it brings, grows with a webhook's history.
    public static let maxDeliveries = 4_096

    public var webhookID: WebhookID
    public var deliveries: [DeliveryReference]

    public init(webhookID: WebhookID, deliveries: [DeliveryReference]) {
        self.webhookID = webhookID
        self.deliveries = deliveries
    }

    public static var tag: FactTag { .deliveriesRecovered }
    public static var name: String { "DeliveriesRecovered" }
    public var fact: Fact { .deliveriesRecovered(self) }

    public var fields: [(String, JSONValue)] {
        [("webhook_id", .id(webhookID)), ("delivery_ids", .array(deliveries.map { .id($0.deliveryID) }))]
    }

    /// The webhook, every recovered delivery, and their events once each.
    public func indexKeys(in state: HookLogState) -> IndexKeys {
        var keys = IndexKeys.webhook(webhookID, in: state)
        keys.deliveries = deliveries.map(\.deliveryID)
        keys.formerEvents = Array(Set(deliveries.map(\.eventID))).sorted()
        return keys
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
