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
