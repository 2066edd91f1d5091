/// An event of the platform was accepted, with the deliveries it fans out to: one per webhook of its workspace
/// subscribed to its type at that moment (a disabled webhook's delivery is skipped by a `DeliverySkipped`).
public struct EventReceived: FactPayload {
    /// One delivery the event fans out to.
    public struct Fanout: Hashable, Sendable, WebhookDeliveryFact {
        public var deliveryID: DeliveryID
        public var webhookID: WebhookID

        public init(deliveryID: DeliveryID, webhookID: WebhookID) {
            self.deliveryID = deliveryID
            self.webhookID = webhookID
        }
    }

    public var eventID: EventID
    public var workspaceID: WorkspaceID
    public var type: EventType
    public var occurredAt: Timestamp
    /// The event's `data` object as the JSON text it was received as.
    public var data: [UInt8]
    /// The `Idempotency-Key` the event was sent with, if any.
    public var idempotencyKey: String?
    public var deliveries: [Fanout]

    public init(
        eventID: EventID, workspaceID: WorkspaceID, type: EventType, occurredAt: Timestamp, data: [UInt8],
        idempotencyKey: String?, deliveries: [Fanout]
    ) {
        self.eventID = eventID
        self.workspaceID = workspaceID
        self.type = type
        self.occurredAt = occurredAt
        self.data = data
        self.idempotencyKey = idempotencyKey
        self.deliveries = deliveries
    }

    public static var tag: FactTag { .eventReceived }
    public static var name: String { "EventReceived" }
    public var fact: Fact { .eventReceived(self) }

    public var fields: [(String, JSONValue)] {
        [("event_id", .id(eventID)), ("workspace_id", .id(workspaceID)), ("event_type", .string(type.rawValue)),
         ("occurred_at", .string(occurredAt.rfc3339)),
         ("idempotency_key", idempotencyKey.map(JSONValue.string) ?? .null),
         ("deliveries", .array(deliveries.map {
             .object([("delivery_id", .id($0.deliveryID)), ("webhook_id", .id($0.webhookID))])
         })),
         ("data", .raw(data))]
    }

    /// The event, its workspace, every webhook and delivery it fans out to, and its idempotency key.
    public func indexKeys(in state: HookLogState) -> IndexKeys {
        IndexKeys(
            webhooks: deliveries.map(\.webhookID), events: [eventID], workspaces: [workspaceID],
            deliveries: deliveries.map(\.deliveryID), idempotencyKeys: IdempotencyKey(of: self).map { [$0] } ?? [])
    }

    public func encode(to writer: inout BinaryWriter) {
        writer.write(eventID)
        writer.write(workspaceID)
        writer.write(type)
        writer.write(occurredAt)
        writer.write(data)
        writer.write(idempotencyKey) { $0.write($1) }
        writer.write(deliveries) { $0.write($1) }
    }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        self.init(
            eventID: try reader.read(), workspaceID: try reader.read(), type: try reader.read(),
            occurredAt: try reader.read(), data: try reader.readBytes(),
            idempotencyKey: try reader.readOptional { reader throws(DecodingFailure) in try reader.readString() },
            deliveries: try reader.readArray { reader throws(DecodingFailure) in try reader.read() })
    }
}
