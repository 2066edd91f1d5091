import HeapModule
public import HookLogCore

/// Runs a ``Simulation``: the service's own ``DeliveryPlanner`` picks which queue heads and e-mails to work on and
/// when, the core's ``Decider`` records every outcome, and simulated endpoints and a simulated mail server answer in
/// virtual time. The records go to a ``LogStore`` in batches, exactly as the service would record them.
///
/// It decides against the store's own working state and folds its records there (``LogStore/withLiveState(_:)``),
/// so the state is held once, not once here and once more in the store's writer: the store must be its own, and
/// its options set the rules and the queues' windows.
///
/// Only the world is simulated: how endpoints answer and how long they take, whether the mail server takes an
/// e-mail, and owners who enable a disabled webhook ten minutes later. Every decision is the service's.
public struct Simulator {
    /// How long the simulated mail server takes to answer.
    private static var mailDuration: Duration { .seconds(2) }
    /// How long after a disable its owner enables the webhook again.
    private static var ownerReaction: Duration { .seconds(600) }

    private let simulation: Simulation
    private var random: SeededGenerator
    private var ids: IdentifierSource<SeededGenerator>
    private var planner: DeliveryPlanner
    /// What the world does next: jobs in flight finishing, owners enabling webhooks.
    private var happenings = Heap<Happening>()
    private var endpoints: [WebhookID: SimulatedEndpoint] = [:]
    /// Records decided and folded but not yet appended to the store.
    private var buffer: [PendingWrite] = []
    private var recordTypes: [String: Int] = [:]
    private var written = 0
    private var compacted = 0
    private var happeningCount = 0
    private var latest: Timestamp

    /// A simulator for `simulation`, with `concurrency` jobs in flight at most.
    public init(_ simulation: Simulation, concurrency: Int = 256) {
        self.simulation = simulation
        random = SeededGenerator(seed: simulation.seed)
        ids = IdentifierSource(SeededGenerator(seed: simulation.seed ^ 0x5EED))
        planner = DeliveryPlanner(concurrency: concurrency)
        latest = simulation.start
    }

    /// Writes the whole history into `store`, which no one else writes meanwhile, and says what it wrote.
    public mutating func run(into store: LogStore) async throws -> SimulationSummary {
        var now = simulation.start
        let workspaces = try await createWorkspaces(at: now, into: store)
        try await createWebhooks(in: workspaces, at: now, into: store)
        for _ in 0..<simulation.events {
            now = now.adding(.milliseconds(Int64.random(in: 1...100, using: &random)))
            try await advance(until: now, into: store)
            guard let workspace = workspaces.randomElement(using: &random) else { break }
            let type = EventType.allCases.randomElement(using: &random)!
            let data = Array(#"{"contact":{"id":"c_\#(Int.random(in: 1...99_999, using: &random))","name":"Ada"}}"#.utf8)
            _ = try decide(.receiveEvent(IncomingEvent(workspaceID: workspace, type: type, data: data)), at: now, in: store)
            try await flushIfFull(into: store)
            if let retention = simulation.retention, Double.random(in: 0..<1, using: &random) < simulation.compactionChance {
                try await compact(keeping: retention, at: now, into: store)
            }
        }
        try await advance(until: Timestamp(milliseconds: .max), into: store)
        if let retention = simulation.retention { try await compact(keeping: retention, at: latest, into: store) }
        try await flush(into: store)
        return SimulationSummary(
            records: written, recordTypes: recordTypes, virtualStart: simulation.start, virtualEnd: latest,
            state: try store.withLiveState { $0.state }, compacted: compacted)
    }

    private mutating func createWorkspaces(at now: Timestamp, into store: LogStore) async throws -> [WorkspaceID] {
        var created: [WorkspaceID] = []
        for index in 0..<simulation.workspaces {
            let plan: Plan = index % 5 == 4 ? [.starter, .growth].randomElement(using: &random)!
                : [.advanced, .enterprise].randomElement(using: &random)!
            let records = try decide(
                .createWorkspace(name: "Workspace \(index + 1)", plan: plan, ownerEmail: "owner@ws\(index + 1).example"),
                at: now, in: store)
            if case .workspaceCreated(let fact) = records.first?.record.fact { created.append(fact.workspaceID) }
            try await flushIfFull(into: store)
        }
        try await flush(into: store)
        return created
    }

    private mutating func createWebhooks(in workspaces: [WorkspaceID], at now: Timestamp, into store: LogStore) async throws {
        let eligible = try store.withLiveState { live in
            workspaces.filter { live.state.workspaces[$0]?.plan.allowsWebhooks == true }
        }
        guard !eligible.isEmpty else { return }
        for index in 0..<simulation.webhooks {
            let workspace = eligible[index % eligible.count]
            let events = EventType.allCases.filter { _ in Bool.random(using: &random) }
            let records = try decide(
                .createWebhook(workspace, url: "https://hooks.example/\(workspace)/\(index)",
                               events: events.isEmpty ? [.messageReceived] : events),
                at: now, in: store)
            if case .webhookCreated(let fact) = records.first?.record.fact {
                endpoints[fact.webhookID] = SimulatedEndpoint(
                    flaky: index % 10 == 3, outageOffsetMinutes: Int64(index % 55), failureRate: simulation.failureRate)
            }
            try await flushIfFull(into: store)
        }
        try await flush(into: store)
    }

    /// Lets virtual time run to `time`: starts the jobs the planner hands out as they fall due, and lets the world
    /// answer them, in time order.
    private mutating func advance(until time: Timestamp, into store: LogStore) async throws {
        var now = latest
        while true {
            try store.withLiveState { live in
                for job in planner.jobsToStart(now: now) { start(job, at: now, in: live.state) }
            }
            let next = [happenings.min?.time, planner.nextWakeUp()].compactMap { $0 }.min()
            guard let next, next <= time else { return }
            now = max(now, next)
            latest = max(latest, now)
            while let happening = happenings.min, happening.time <= now {
                _ = happenings.removeMin()
                try happen(happening.event, at: happening.time, in: store)
                try await flushIfFull(into: store)
            }
        }
    }

    /// Starts `job` at `now` against `state` as the engine would, and schedules the world's answer; a job with nothing
    /// to do ends at once (so would a test send, which the simulated world never asks for).
    private mutating func start(_ job: DeliveryJob, at now: Timestamp, in state: HookLogState) {
        switch job {
        case .delivery(let webhookID):
            guard let endpoint = endpoints[webhookID], let head = state.queues[webhookID]?.head,
                  state.webhooks[webhookID]?.status == .active, head.nextAttemptAt <= now
            else { return planner.finished(job, failed: false, state: state, now: now) }
            let (outcome, duration) = endpoint.answer(at: now, using: &random)
            let report = AttemptReport(
                webhookID: webhookID, deliveryID: head.reference.deliveryID, startedAt: now,
                durationMilliseconds: duration, outcome: outcome,
                responseSnippet: outcome == .status(500) ? "internal error" : "")
            expect(.finished(job, .recordAttempt(report)), at: now.adding(.milliseconds(Int64(duration))))
        case .notification(let webhookID):
            guard let pending = state.notifications[webhookID], pending.nextAttemptAt <= now
            else { return planner.finished(job, failed: false, state: state, now: now) }
            let command = Command.recordNotification(webhookID, error: mailServerAnswer())
            expect(.finished(job, command), at: now.adding(Self.mailDuration))
        case .warning(let workspaceID):
            guard let pending = state.warningNotifications[workspaceID], pending.nextAttemptAt <= now
            else { return planner.finished(job, failed: false, state: state, now: now) }
            let refusal = pending.failedAttempts == 0 ? Self.mailServerRefusal : nil
            let command = Command.recordWarningNotification(workspaceID, error: refusal)
            expect(.finished(job, command), at: now.adding(Self.mailDuration))
        case .operations(let workspaceID):
            guard let head = state.operationsWebhooks[workspaceID]?.head, head.nextAttemptAt <= now
            else { return planner.finished(job, failed: false, state: state, now: now) }
            let report = OperationsAttemptReport(
                workspaceID: workspaceID, messageID: head.id, startedAt: now,
                durationMilliseconds: Self.operationsMilliseconds, outcome: .status(200))
            expect(
                .finished(job, .recordOperationsAttempt(report)),
                at: now.adding(.milliseconds(Int64(Self.operationsMilliseconds))))
        case .testSend:
            planner.finished(job, failed: false, state: state, now: now)
        }
    }

    /// How long a simulated operations endpoint takes to take a message, which it always does: it draws nothing from
    /// the seeded generator, so that histories simulated before operations webhooks existed stay as they were.
    private static let operationsMilliseconds = 40

    /// What the simulated mail server says when it refuses an e-mail.
    private static let mailServerRefusal = "connection refused by mail server"

    /// How the simulated mail server answers a disable e-mail: nil when it takes it (seven times in ten), else its
    /// refusal. A warning e-mail is refused at its first try and taken at the next, drawing nothing from the seeded
    /// generator, so that histories simulated before warnings existed keep their endpoints' answers.
    private mutating func mailServerAnswer() -> String? {
        Double.random(in: 0..<1, using: &random) < 0.7 ? nil : Self.mailServerRefusal
    }

    /// What the world does at `time`: a job in flight is answered and its outcome recorded, or an owner enables a
    /// webhook (recovering what was skipped, or not).
    private mutating func happen(_ event: Happening.Event, at time: Timestamp, in store: LogStore) throws {
        switch event {
        case .finished(let job, let command):
            let records = (try? decide(command, at: time, in: store)) ?? []
            try store.withLiveState { live in planner.finished(job, failed: false, state: live.state, now: time) }
            for case .webhookDisabled(let disabled) in records.map(\.record.fact) {
                expect(.ownerEnables(disabled.webhookID), at: time.adding(Self.ownerReaction))
            }
        case .ownerEnables(let webhookID):
            _ = try decide(.enableWebhook(webhookID, recover: Bool.random(using: &random)), at: time, in: store)
        }
    }

    /// Decides `command` against the store's working state, folds its records in and tells the planner, reading the
    /// queues' overflow from the records `store` holds and those still buffered. A refusal throws, as it would
    /// answer the service's caller.
    private mutating func decide(_ command: Command, at now: Timestamp, in store: LogStore) throws -> [LoggedRecord] {
        let entries = try store.withLiveState { live in
            let command = try command.prepared(against: live.state, reading: live.log(with: buffer))
            let records = try Decider.decide(command, state: live.state, now: now, ids: &ids)
            let entries = try live.fold(records, into: &buffer)
            planner.committed(entries, state: live.state, now: now)
            return entries
        }
        for entry in entries { recordTypes[entry.record.fact.typeName, default: 0] += 1 }
        latest = max(latest, now)
        return entries
    }

    /// Compacts the history as the service's compactor would at `now`: cuts the log at the retention's cut-off with
    /// a `HistoryCompacted` the simulator decides, then lets the store remove what the cut allows.
    private mutating func compact(keeping retention: Duration, at now: Timestamp, into store: LogStore) async throws {
        try await flush(into: store)
        let cutoff = Timestamp(milliseconds: now.milliseconds - retention.components.seconds * 1000)
        guard let through = try store.reader.cutPoint(before: cutoff) else { return }
        _ = try decide(.compactHistory(through: through, before: cutoff), at: now, in: store)
        try await flush(into: store)
        compacted += try await store.removeBehindCut().removed
    }

    private mutating func expect(_ event: Happening.Event, at time: Timestamp) {
        happeningCount += 1
        happenings.insert(Happening(time: time, order: happeningCount, event: event))
    }

    private mutating func flushIfFull(into store: LogStore) async throws {
        if buffer.count >= simulation.batchSize { try await flush(into: store) }
    }

    private mutating func flush(into store: LogStore) async throws {
        guard !buffer.isEmpty else { return }
        try await store.append(folded: buffer)
        written += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Something the simulated world does at a virtual time; ties keep the order they were expected in.
private struct Happening: Comparable {
    enum Event {
        /// A job in flight is answered: the command records its outcome.
        case finished(DeliveryJob, Command)
        /// The owner enables a disabled webhook.
        case ownerEnables(WebhookID)
    }

    let time: Timestamp
    let order: Int
    let event: Event

    static func < (lhs: Happening, rhs: Happening) -> Bool {
        lhs.time != rhs.time ? lhs.time < rhs.time : lhs.order < rhs.order
    }

    static func == (lhs: Happening, rhs: Happening) -> Bool { lhs.time == rhs.time && lhs.order == rhs.order }
}
