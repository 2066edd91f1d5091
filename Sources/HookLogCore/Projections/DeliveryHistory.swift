/// One delivery as its history tells it: the event, where it stands, and every attempt.
public struct DeliveryRecord: Hashable, Sendable {
    public var deliveryID: DeliveryID
    public var webhookID: WebhookID
    public var eventID: EventID
    public var eventType: EventType
    /// The sequence of the event's `EventReceived` record, where its payload is read from (a redelivery's too).
    public var eventSequence: UInt64
    public var createdAt: Timestamp
    public var state: DeliveryState
    /// When it came to its current state, as far as its history tells: the time of the record that dropped or
    /// skipped it, for instance.
    public var stateSince: Timestamp
    public var attempts: [AttemptRecord]
    /// For a redelivery, the delivery it repeats.
    public var redeliveryOf: DeliveryID?
}

/// One HTTP attempt of a delivery.
public struct AttemptRecord: Hashable, Sendable {
    public var number: Int
    public var startedAt: Timestamp
    public var durationMilliseconds: Int
    /// The HTTP status, when the endpoint answered.
    public var statusCode: Int?
    /// The error, when the endpoint gave no usable answer.
    public var error: AttemptError?
    public var responseSnippet: String
    /// When the delivery is retried after this attempt, if it failed and was not the last.
    public var nextAttemptAt: Timestamp?

    /// The attempt a failure record tells of.
    public init(_ fact: AttemptFailed) {
        self.init(
            number: fact.number, startedAt: fact.startedAt, durationMilliseconds: fact.durationMilliseconds,
            statusCode: fact.failure.statusCode, error: fact.failure.error, responseSnippet: fact.responseSnippet,
            nextAttemptAt: fact.nextAttemptAt)
    }

    /// The attempt a success record tells of.
    public init(_ fact: AttemptSucceeded) {
        self.init(
            number: fact.number, startedAt: fact.startedAt, durationMilliseconds: fact.durationMilliseconds,
            statusCode: fact.statusCode, responseSnippet: fact.responseSnippet)
    }

    init(
        number: Int, startedAt: Timestamp, durationMilliseconds: Int, statusCode: Int?, error: AttemptError? = nil,
        responseSnippet: String, nextAttemptAt: Timestamp? = nil
    ) {
        self.number = number
        self.startedAt = startedAt
        self.durationMilliseconds = durationMilliseconds
        self.statusCode = statusCode
        self.error = error
        self.responseSnippet = responseSnippet
        self.nextAttemptAt = nextAttemptAt
    }

    /// Whether the attempt got a 2xx.
    public var succeeded: Bool { statusCode.map { DeliveryRules.isSuccess(statusCode: $0) } ?? false }
}

extension DeliveryRecord {
    /// What a queue needs to send the delivery (again): what ``Command/recoverDeliveries(_:_:)`` takes.
    public var reference: DeliveryReference {
        DeliveryReference(deliveryID: deliveryID, eventID: eventID, eventType: eventType, eventSequence: eventSequence)
    }
}

/// The deliveries of one webhook, one event or one delivery, folded from the records that concern them (found by the
/// query indexes), oldest first. Those records include their webhooks' disables and enables (the `by_queue` index
/// lists them), which skip and recover every delivery of the queue at once.
public struct DeliveryHistory: Hashable, Sendable {
    /// Whose history this is.
    public enum Subject: Hashable, Sendable {
        case webhook(WebhookID)
        /// Every delivery of events with this id, in every workspace that used it.
        case event(EventID)
        case delivery(DeliveryID)
    }

    public let subject: Subject
    public private(set) var deliveries: [DeliveryRecord] = []
    private var positions: [DeliveryID: Int] = [:]
    /// The deliveries each webhook's current disable skipped, which an enable that recovers queues again.
    private var skippedMeanwhile: [WebhookID: [DeliveryID]] = [:]

    /// An empty history of `subject`.
    public init(of subject: Subject) {
        self.subject = subject
    }

    /// Folds one record in; records about other webhooks, events or deliveries change nothing.
    public mutating func apply(_ entry: LoggedRecord) {
        let record = entry.record
        switch record.fact {
        case .eventReceived(let fact):
            for fanout in fact.deliveries where concerns(fanout.webhookID, fact.eventID, fanout.deliveryID) {
                add(DeliveryRecord(
                    deliveryID: fanout.deliveryID, webhookID: fanout.webhookID, eventID: fact.eventID, eventType: fact.type,
                    eventSequence: entry.sequence, createdAt: record.at, state: .queued, stateSince: record.at,
                    attempts: []))
            }
        case .redeliveryRequested(let fact) where concerns(fact.webhookID, fact.delivery.eventID, fact.delivery.deliveryID):
            add(DeliveryRecord(
                deliveryID: fact.delivery.deliveryID, webhookID: fact.webhookID, eventID: fact.delivery.eventID,
                eventType: fact.delivery.eventType, eventSequence: fact.delivery.eventSequence, createdAt: record.at,
                state: .queued, stateSince: record.at, attempts: [], redeliveryOf: fact.originalDeliveryID))
        case .attemptSucceeded(let fact):
            update(fact.deliveryID, to: .succeeded, at: record.at) { $0.attempts.append(AttemptRecord(fact)) }
        case .attemptFailed(let fact):
            update(fact.deliveryID, to: .retrying, at: record.at) { $0.attempts.append(AttemptRecord(fact)) }
        case .deliveryDropped(let fact):
            update(fact.deliveryID, to: .dropped, at: record.at)
        case .deliverySkipped(let fact):
            skip(fact.deliveryID, of: fact.webhookID, at: record.at)
        case .webhookDisabled(let fact) where fact.skippedDeliveries != nil:
            for delivery in deliveries where delivery.webhookID == fact.webhookID
            && [.queued, .retrying].contains(delivery.state) {
                skip(delivery.deliveryID, of: fact.webhookID, at: record.at)
            }
        case .webhookEnabled(let fact):
            let skipped = skippedMeanwhile.removeValue(forKey: fact.webhookID) ?? []
            if fact.recover, fact.recoveredDeliveries != nil {
                for id in skipped { applyRecovery(of: id, at: record.at) }
            }
        case .deliveriesRecovered(let fact):
            for reference in fact.deliveries {
                applyRecovery(of: reference.deliveryID, at: record.at)
            }
        default:
            break
        }
    }

    /// Folds in a `DeliveriesRecovered` of time `at` known to list this delivery, without the record: the delivery
    /// index lists such a record under each delivery it queues again, and it can list thousands.
    public mutating func applyRecovery(of deliveryID: DeliveryID, at time: Timestamp) {
        update(deliveryID, to: .queued, at: time)
    }

    private func concerns(_ webhookID: WebhookID, _ eventID: EventID, _ deliveryID: DeliveryID) -> Bool {
        switch subject {
        case .webhook(let id): id == webhookID
        case .event(let id): id == eventID
        case .delivery(let id): id == deliveryID
        }
    }

    private mutating func skip(_ id: DeliveryID, of webhookID: WebhookID, at time: Timestamp) {
        guard positions[id] != nil else { return }
        update(id, to: .skipped, at: time)
        skippedMeanwhile[webhookID, default: []].append(id)
    }

    private mutating func add(_ delivery: DeliveryRecord) {
        positions[delivery.deliveryID] = deliveries.count
        deliveries.append(delivery)
    }

    private mutating func update(
        _ id: DeliveryID, to state: DeliveryState, at time: Timestamp, _ change: (inout DeliveryRecord) -> Void = { _ in }
    ) {
        guard let position = positions[id] else { return }
        deliveries[position].state = state
        deliveries[position].stateSince = time
        change(&deliveries[position])
    }
}
