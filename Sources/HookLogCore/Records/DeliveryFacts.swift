/// What a queue needs to know of a delivery to send it: its event, and where that event is in the log.
public struct DeliveryReference: Hashable, Codable, Sendable, BinaryCodable {
    public var deliveryID: DeliveryID
    public var eventID: EventID
    public var eventType: EventType
    /// The sequence of the event's `EventReceived` record, where its payload is read from.
    public var eventSequence: UInt64

    public init(deliveryID: DeliveryID, eventID: EventID, eventType: EventType, eventSequence: UInt64) {
        self.deliveryID = deliveryID
        self.eventID = eventID
        self.eventType = eventType
        self.eventSequence = eventSequence
    }

    public func encode(to writer: inout BinaryWriter) {
        writer.write(deliveryID)
        writer.write(eventID)
        writer.write(eventType)
        writer.write(eventSequence)
    }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        self.init(
            deliveryID: try reader.read(), eventID: try reader.read(), eventType: try reader.read(),
            eventSequence: try reader.readUInt64())
    }
}

/// A delivery's last attempt failed: it is given up and its queue moves on.
public struct DeliveryDropped: Hashable, Sendable, WebhookDeliveryFact {
    public var deliveryID: DeliveryID
    public var webhookID: WebhookID

    public init(deliveryID: DeliveryID, webhookID: WebhookID) {
        self.deliveryID = deliveryID
        self.webhookID = webhookID
    }
}

/// A delivery was set aside, unsent, because its webhook is disabled; it can be recovered later.
public struct DeliverySkipped: Hashable, Sendable, WebhookDeliveryFact {
    public var deliveryID: DeliveryID
    public var webhookID: WebhookID

    public init(deliveryID: DeliveryID, webhookID: WebhookID) {
        self.deliveryID = deliveryID
        self.webhookID = webhookID
    }
}

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

/// A value that names one delivery of one webhook and nothing else, encoded as the two ids.
public protocol WebhookDeliveryFact: BinaryCodable {
    var deliveryID: DeliveryID { get }
    var webhookID: WebhookID { get }
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
