import HookLogCore
import Testing

/// SplitMix64 (Steele, Lea and Flood): a tiny seeded generator, so that a scenario writes the same log every run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A story told to the pure core: a state, a seeded id source and a virtual clock. `run` decides a command at
/// `now`, folds the records it returns into the state with consecutive sequence numbers, and keeps them all.
struct Scenario {
    private(set) var state: HookLogState
    var ids: IdentifierSource<SplitMix64>
    /// The virtual clock every command is decided at.
    var now: Timestamp
    /// Every record folded in so far, as the log would hold them.
    private(set) var log: [LoggedRecord] = []

    /// 2026-11-25T20:00:00Z, a quiet evening.
    static let start = Timestamp(seconds: 1_795_636_800)

    init(
        seed: UInt64 = 42, policy: DeliveryPolicy = .standard, queueWindow: Int? = HookLogState.standardQueueWindow,
        now: Timestamp = Scenario.start
    ) {
        state = HookLogState(policy: policy, queueWindow: queueWindow)
        ids = IdentifierSource(SplitMix64(seed: seed))
        self.now = now
    }

    /// Goes on under the queue window `window`, the queues as they are (``HookLogState/windowed(_:)``): as a data
    /// directory does with a base snapshot copied from PostgreSQL, whose queues are whole.
    mutating func takeWindow(_ window: Int) {
        state = state.windowed(window)
    }

    /// Decides `command` at `now` and folds what happened into the state; throws the ``DecisionError`` it is
    /// refused with.
    @discardableResult
    mutating func run(_ command: Command) throws -> [Record] {
        let command = command.prepared(against: state, reading: RecordedLog(records: log))
        let records = try Decider.decide(command, state: state, now: now, ids: &ids)
        for record in records {
            let entry = LoggedRecord(sequence: state.lastSequence + 1, record: record)
            log.append(entry)
            state.evolve(entry, refillingFrom: RecordedLog(records: log))
        }
        return records
    }

    /// A scenario whose error budget allows one failure, with one workspace and one webhook: the second failed
    /// attempt disables it.
    static func oneStrike(queueWindow: Int?) throws -> (scenario: Scenario, workspace: WorkspaceID, webhook: WebhookID) {
        var policy = DeliveryPolicy.standard
        policy.errorLimit = 1
        var scenario = Scenario(policy: policy, queueWindow: queueWindow)
        let workspace = try scenario.createWorkspace()
        let webhook = try scenario.createWebhook(in: workspace)
        return (scenario, workspace, webhook)
    }

    /// Moves the virtual clock forward.
    mutating func advance(_ duration: Duration) {
        now = now.adding(duration)
    }

    // MARK: The steps stories are made of

    /// A workspace on `plan` owned by `owner`.
    mutating func createWorkspace(
        _ name: String = "Acme", plan: Plan = .advanced, owner: String = "owner@acme.example"
    ) throws -> WorkspaceID {
        let records = try run(.createWorkspace(name: name, plan: plan, ownerEmail: owner))
        guard case .workspaceCreated(let created) = try #require(records.first).fact else {
            Issue.record("createWorkspace recorded \(records.map(\.fact.typeName))")
            throw ScenarioFailure()
        }
        return created.workspaceID
    }

    /// A webhook of `workspace` for `events`.
    mutating func createWebhook(
        in workspace: WorkspaceID, url: String = "https://hooks.acme.example/in",
        events: [EventType] = [.contactCreated]
    ) throws -> WebhookID {
        let records = try run(.createWebhook(workspace, url: url, events: events))
        guard case .webhookCreated(let created) = try #require(records.first).fact else {
            Issue.record("createWebhook recorded \(records.map(\.fact.typeName))")
            throw ScenarioFailure()
        }
        return created.webhookID
    }

    /// The platform sends an event of `type` for `workspace`; returns the `EventReceived` fact.
    @discardableResult
    mutating func send(
        _ type: EventType = .contactCreated, to workspace: WorkspaceID, data: String = #"{"contact":{"id":1}}"#
    ) throws -> EventReceived {
        let records = try run(.receiveEvent(IncomingEvent(workspaceID: workspace, type: type, data: Array(data.utf8))))
        guard case .eventReceived(let received) = try #require(records.first).fact else {
            Issue.record("receiveEvent recorded \(records.map(\.fact.typeName))")
            throw ScenarioFailure()
        }
        return received
    }

    /// Sends `count` events of `type`, so that each subscribed webhook has that many deliveries queued.
    mutating func send(_ count: Int, _ type: EventType = .contactCreated, to workspace: WorkspaceID) throws {
        for _ in 0..<count { try send(type, to: workspace) }
    }

    /// The head of the webhook's queue answers with `outcome`; the attempt started at `now`.
    @discardableResult
    mutating func attemptHead(of webhook: WebhookID, answering outcome: AttemptReport.Outcome) throws -> [Record] {
        let head = try #require(state.queues[webhook]?.head, "webhook \(webhook) has nothing queued")
        return try run(.recordAttempt(AttemptReport(
            webhookID: webhook, deliveryID: head.reference.deliveryID, startedAt: now, durationMilliseconds: 120,
            outcome: outcome, responseSnippet: "response to attempt \(head.attempts + 1)")))
    }

    /// The head of the webhook's queue fails with HTTP 500.
    @discardableResult
    mutating func failHead(of webhook: WebhookID) throws -> [Record] {
        try attemptHead(of: webhook, answering: .status(500))
    }

    /// The webhook's endpoint fails `times` attempts in a row, `every` apart (the first at `now`), and before
    /// each one an event is sent whenever its queue has run dry. Returns the records of every attempt.
    @discardableResult
    mutating func failRepeatedly(
        _ webhook: WebhookID, times: Int, every interval: Duration = .seconds(10)
    ) throws -> [[Record]] {
        var outcomes: [[Record]] = []
        for index in 0..<times {
            if index > 0 { advance(interval) }
            if state.queues[webhook]?.head == nil {
                let hook = try #require(state.webhooks[webhook])
                try send(try #require(hook.events.first), to: hook.workspaceID)
            }
            outcomes.append(try failHead(of: webhook))
        }
        return outcomes
    }

    // MARK: What a user would look at

    func webhook(_ id: WebhookID) throws -> Webhook {
        try #require(state.webhooks[id])
    }

    /// The ids of the webhook's queued deliveries, head first: those in its window, then those beyond it.
    func pendingDeliveries(of webhook: WebhookID) -> [DeliveryID] {
        let queued = state.queues[webhook]?.allDeliveries(of: webhook, from: RecordedLog(records: log)) ?? []
        return queued.map(\.reference.deliveryID)
    }

    /// The ids of the webhook's deliveries set aside while it was disabled, in order: those in RAM, then those beyond.
    func skippedDeliveries(of webhook: WebhookID) -> [DeliveryID] {
        let skipped = state.queues[webhook]?.allSkipped(of: webhook, from: RecordedLog(records: log)) ?? []
        return skipped.map(\.deliveryID)
    }

    /// Asks to send `delivery` of `event` to `webhook` again.
    @discardableResult
    mutating func redeliver(_ delivery: DeliveryID, of event: EventReceived, to webhook: WebhookID) throws -> [Record] {
        try run(.redeliver(
            webhook, original: delivery, eventID: event.eventID, eventType: event.type,
            eventSequence: try sequence(of: event.eventID)))
    }

    /// The sequence of the record that received `event`.
    func sequence(of event: EventID) throws -> UInt64 {
        try #require(log.first { $0.record.fact.eventReceived?.eventID == event }).sequence
    }

    func errorCount(of workspace: WorkspaceID) -> Int {
        state.errorCount(of: workspace, at: now)
    }

    /// The webhook's history, folded from the whole log.
    func history(of webhook: WebhookID) -> DeliveryHistory {
        var history = DeliveryHistory(of: .webhook(webhook))
        for entry in log { history.apply(entry) }
        return history
    }

    /// The event's history, folded from the whole log.
    func history(of event: EventID) -> DeliveryHistory {
        var history = DeliveryHistory(of: .event(event))
        for entry in log { history.apply(entry) }
        return history
    }
}

/// A step of a scenario could not go on; the reason has been recorded as an issue.
struct ScenarioFailure: Error {}

/// Reading facts without a `switch` in every test.
extension Fact {
    var attemptSucceeded: AttemptSucceeded? { if case .attemptSucceeded(let fact) = self { fact } else { nil } }
    var attemptFailed: AttemptFailed? { if case .attemptFailed(let fact) = self { fact } else { nil } }
    var deliveryDropped: DeliveryDropped? { if case .deliveryDropped(let fact) = self { fact } else { nil } }
    var deliverySkipped: DeliverySkipped? { if case .deliverySkipped(let fact) = self { fact } else { nil } }
    var webhookDisabled: WebhookDisabled? { if case .webhookDisabled(let fact) = self { fact } else { nil } }
    var webhookEnabled: WebhookEnabled? { if case .webhookEnabled(let fact) = self { fact } else { nil } }
    var deliveriesRecovered: DeliveriesRecovered? {
        if case .deliveriesRecovered(let fact) = self { fact } else { nil }
    }
    var eventReceived: EventReceived? { if case .eventReceived(let fact) = self { fact } else { nil } }
    var notificationFailed: NotificationFailed? { if case .notificationFailed(let fact) = self { fact } else { nil } }
    var notificationSent: NotificationSent? { if case .notificationSent(let fact) = self { fact } else { nil } }
    var redeliveryRequested: RedeliveryRequested? {
        if case .redeliveryRequested(let fact) = self { fact } else { nil }
    }
    var historyCompacted: HistoryCompacted? { if case .historyCompacted(let fact) = self { fact } else { nil } }
}

extension Array where Element == Record {
    /// The record types, in order, as docs/rules.md §3 names them.
    var typeNames: [String] { map(\.fact.typeName) }
}
