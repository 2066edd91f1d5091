/// The query indexes a record belongs to (docs/rules.md §3): by webhook, event, workspace, delivery, queue and
/// idempotency key.
/// The store writes these keys in the same transaction as the record; the time index needs no help.
public struct IndexKeys: Hashable, Sendable {
    public var webhooks: [WebhookID] = []
    public var events: [EventID] = []
    public var workspaces: [WorkspaceID] = []
    public var deliveries: [DeliveryID] = []
    /// The webhooks whose every queued or skipped delivery the record changes at once (a disable, an enable): a
    /// delivery's history reads these beside its own records.
    public var queues: [WebhookID] = []
    /// The `Idempotency-Key` an `EventReceived` carries, so that a repeated request finds the records it repeats.
    public var idempotencyKeys: [IdempotencyKey] = []
    /// The events of the deliveries a record is about (an attempt, a drop, a skip, a recovery), which the event index
    /// of storage formats up to 5 listed the record under too. Today's lists under an event only the records that
    /// bring it or a delivery of it (`events`): the others are found through the delivery index.
    public var formerEvents: [EventID] = []
}

extension IndexKeys {
    /// The index keys of `record`, given the state just before it is folded in (which tells, for instance,
    /// which event an attempt's delivery carries): each fact says its own (``FactPayload/indexKeys(in:)``). Both are
    /// borrowed: an initialiser takes its arguments owned unless told otherwise, and the state's copy would retain and
    /// release each of its collections for every record indexed.
    public init(of record: borrowing Record, in state: borrowing HookLogState) {
        self = record.fact.payload.indexKeys(in: state)
    }
}
