import HeapModule
import HookLogCore

/// Runs a ``Simulation``: decides every step with the core's ``Decider`` against its own state, in virtual time,
/// and appends the records to a ``LogStore`` in batches, exactly as the service would record them.
public struct Simulator {
    private let simulation: Simulation
    private var random: SeededGenerator
    private var ids: IdentifierSource<SeededGenerator>
    private var state: HookLogState
    private var timers = Heap<Timer>()
    private var scheduledDeliveries: Set<WebhookID> = []
    private var endpoints: [WebhookID: SimulatedEndpoint] = [:]
    /// Records decided but not yet appended to the store.
    private var buffer: [LoggedRecord] = []
    private var recordTypes: [String: Int] = [:]
    private var written = 0
    private var timerCount = 0
    private var latest: Timestamp

    /// A simulator for `simulation` whose decisions follow `policy`.
    public init(_ simulation: Simulation, policy: DeliveryPolicy = .standard) {
        self.simulation = simulation
        random = SeededGenerator(seed: simulation.seed)
        ids = IdentifierSource(SeededGenerator(seed: simulation.seed ^ 0x5EED))
        state = HookLogState(policy: policy)
        latest = simulation.start
    }

    /// Writes the whole history into `store` and says what it wrote.
    public mutating func run(into store: LogStore) async throws -> SimulationSummary {
        var now = simulation.start
        let workspaces = try await createWorkspaces(at: now, into: store)
        try await createWebhooks(in: workspaces, at: now, into: store)
        for _ in 0..<simulation.events {
            now = now.adding(.milliseconds(Int64.random(in: 1...100, using: &random)))
            try await runTimers(until: now, into: store)
            guard let workspace = workspaces.randomElement(using: &random) else { break }
            let type = EventType.allCases.randomElement(using: &random)!
            let data = Array(#"{"contact":{"id":"c_\#(Int.random(in: 1...99_999, using: &random))","name":"Ada"}}"#.utf8)
            let records = try decide(.receiveEvent(IncomingEvent(workspaceID: workspace, type: type, data: data)), at: now, in: store)
            if case .eventReceived(let received) = records.first?.fact {
                for fanout in received.deliveries { scheduleDelivery(fanout.webhookID, at: now.adding(.milliseconds(1))) }
            }
            try await flushIfFull(into: store)
        }
        try await runTimers(until: Timestamp(milliseconds: .max), into: store)
        try await flush(into: store)
        return SimulationSummary(
            records: written, recordTypes: recordTypes, virtualStart: simulation.start, virtualEnd: latest, state: state)
    }

    private mutating func createWorkspaces(at now: Timestamp, into store: LogStore) async throws -> [WorkspaceID] {
        var created: [WorkspaceID] = []
        for index in 0..<simulation.workspaces {
            let plan: Plan = index % 5 == 4 ? [.starter, .growth].randomElement(using: &random)!
                : [.advanced, .enterprise].randomElement(using: &random)!
            let records = try decide(
                .createWorkspace(name: "Workspace \(index + 1)", plan: plan, ownerEmail: "owner@ws\(index + 1).example"),
                at: now, in: store)
            if case .workspaceCreated(let fact) = records.first?.fact { created.append(fact.workspaceID) }
        }
        try await flush(into: store)
        return created
    }

    private mutating func createWebhooks(in workspaces: [WorkspaceID], at now: Timestamp, into store: LogStore) async throws {
        let eligible = workspaces.filter { state.workspaces[$0]?.plan.allowsWebhooks == true }
        guard !eligible.isEmpty else { return }
        for index in 0..<simulation.webhooks {
            let workspace = eligible[index % eligible.count]
            let events = EventType.allCases.filter { _ in Bool.random(using: &random) }
            let records = try decide(
                .createWebhook(workspace, url: "https://hooks.example/\(workspace)/\(index)",
                               events: events.isEmpty ? [.messageReceived] : events),
                at: now, in: store)
            if case .webhookCreated(let fact) = records.first?.fact {
                endpoints[fact.webhookID] = SimulatedEndpoint(
                    flaky: index % 10 == 3, outageOffsetMinutes: Int64(index % 55), failureRate: simulation.failureRate)
            }
        }
        try await flush(into: store)
    }

    /// Fires every timer due by `time`, in time order.
    private mutating func runTimers(until time: Timestamp, into store: LogStore) async throws {
        while let next = timers.min, next.time <= time {
            _ = timers.removeMin()
            switch next.action {
            case .deliver(let webhookID):
                scheduledDeliveries.remove(webhookID)
                try attempt(webhookID, at: next.time, in: store)
            case .notify(let webhookID):
                let accepted = Double.random(in: 0..<1, using: &random) < 0.7
                let records = try decide(.recordNotification(webhookID, error: accepted ? nil : "connection refused by mail server"), at: next.time, in: store)
                if case .notificationFailed(let fact) = records.first?.fact { schedule(.notify(webhookID), at: fact.nextAttemptAt) }
            case .enable(let webhookID):
                _ = try decide(.enableWebhook(webhookID, recover: Bool.random(using: &random)), at: next.time, in: store)
                if let head = state.queues[webhookID]?.head { scheduleDelivery(webhookID, at: max(head.nextAttemptAt, next.time)) }
            }
            try await flushIfFull(into: store)
        }
    }

    /// Attempts the head of a webhook's queue at `startedAt` and schedules what follows from the outcome.
    private mutating func attempt(_ webhookID: WebhookID, at startedAt: Timestamp, in store: LogStore) throws {
        guard let webhook = state.webhooks[webhookID], webhook.status == .active,
              let head = state.queues[webhookID]?.head, let endpoint = endpoints[webhookID]
        else { return }
        guard head.nextAttemptAt <= startedAt else {
            scheduleDelivery(webhookID, at: head.nextAttemptAt)
            return
        }
        let (outcome, duration) = endpoint.answer(at: startedAt, using: &random)
        let finishedAt = startedAt.adding(.milliseconds(Int64(duration)))
        let records = try decide(
            .recordAttempt(AttemptReport(
                webhookID: webhookID, deliveryID: head.reference.deliveryID, startedAt: startedAt,
                durationMilliseconds: duration, outcome: outcome, responseSnippet: outcome == .status(500) ? "internal error" : "")),
            at: finishedAt, in: store)
        if records.contains(where: { if case .webhookDisabled = $0.fact { true } else { false } }) {
            schedule(.notify(webhookID), at: finishedAt.adding(.seconds(2)))
            schedule(.enable(webhookID), at: finishedAt.adding(.seconds(600)))
        } else if let next = state.queues[webhookID]?.head {
            scheduleDelivery(webhookID, at: max(next.nextAttemptAt, finishedAt))
        }
    }

    /// Decides `command` against the simulator's state and folds its records in, reading the queues' overflow from
    /// the records `store` holds and those still buffered.
    private mutating func decide(_ command: Command, at now: Timestamp, in store: LogStore) throws -> [Record] {
        let records = try Decider.decide(
            command, state: state, now: now, ids: &ids, queued: LogQueuedDeliveries(reader: store.reader, unwritten: buffer))
        for record in records {
            let entry = LoggedRecord(sequence: state.lastSequence + 1, record: record)
            buffer.append(entry)
            try state.evolve(entry, queued: LogQueuedDeliveries(reader: store.reader, unwritten: buffer))
            recordTypes[record.fact.typeName, default: 0] += 1
        }
        latest = max(latest, now)
        return records
    }

    private mutating func scheduleDelivery(_ webhookID: WebhookID, at time: Timestamp) {
        guard scheduledDeliveries.insert(webhookID).inserted else { return }
        schedule(.deliver(webhookID), at: time)
    }

    private mutating func schedule(_ action: Timer.Action, at time: Timestamp) {
        timerCount += 1
        timers.insert(Timer(time: time, order: timerCount, action: action))
    }

    private mutating func flushIfFull(into store: LogStore) async throws {
        if buffer.count >= simulation.batchSize { try await flush(into: store) }
    }

    private mutating func flush(into store: LogStore) async throws {
        guard !buffer.isEmpty else { return }
        written += try await store.append(buffer.map(\.record)).count
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Something due at a virtual time; ties keep the order they were scheduled in.
private struct Timer: Comparable {
    enum Action {
        case deliver(WebhookID)
        case notify(WebhookID)
        case enable(WebhookID)
    }

    let time: Timestamp
    let order: Int
    let action: Action

    static func < (lhs: Timer, rhs: Timer) -> Bool {
        lhs.time != rhs.time ? lhs.time < rhs.time : lhs.order < rhs.order
    }

    static func == (lhs: Timer, rhs: Timer) -> Bool { lhs.time == rhs.time && lhs.order == rhs.order }
}
