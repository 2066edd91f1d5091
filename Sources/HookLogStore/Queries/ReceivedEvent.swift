public import HookLogCore

/// An event as the log received it (`GET /v1/events/{id}`), with its deliveries to every webhook.
public struct ReceivedEvent: Hashable, Sendable {
    /// The fact of its receipt: ids, type, time of occurrence, data, fanout.
    public var event: EventReceived
    /// The sequence of its `EventReceived` record.
    public var sequence: UInt64
    /// When HookLog received it: the time of its record.
    public var receivedAt: Timestamp
    /// Its deliveries to every webhook, redeliveries included, in the order they were created.
    public var deliveries: [DeliveryRecord]
}
