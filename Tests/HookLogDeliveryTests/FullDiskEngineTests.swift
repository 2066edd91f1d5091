import HookLogCore
import HookLogDelivery
import HookLogStore
import HookLogTestSupport
import Synchronization
import Testing

/// A real log whose disk has no room for the next records of attempts: each is refused with the error the log's
/// writer gives a commit the disk had no room for, as a full disk does at an unpredictable moment.
final class NoRoomForAttempts: EventLog {
    let store: LogStore
    private let refusalsLeft: Mutex<Int>

    /// `store`, refusing its next `refusals` records of attempts.
    init(_ store: LogStore, refusals: Int) {
        self.store = store
        refusalsLeft = Mutex(refusals)
    }

    /// How many refusals are still to come.
    var refusals: Int { refusalsLeft.withLock { $0 } }

    func execute(_ commands: [Command], at now: Timestamp) async throws -> [Result<[LoggedRecord], DecisionError>] {
        let recordsAnAttempt = commands.contains { if case .recordAttempt = $0 { true } else { false } }
        let refused = recordsAnAttempt && refusalsLeft.withLock { left in
            defer { left = max(left - 1, 0) }
            return left > 0
        }
        if refused { throw StoreError.insufficientStorage("mdb_txn_commit: No space left on device") }
        return try await store.execute(commands, at: now)
    }

    var queries: any LogQueries { store.queries }
    func withState<T>(_ body: (HookLogState) throws -> T) rethrows -> T { try store.withState(body) }
    func commits() -> AsyncStream<[LoggedRecord]> { store.commits() }
    var writerFailure: StoreError? { store.writerFailure }
    var backlog: Int { store.backlog }
    func close() async { await store.close() }
    func compact(before cutoff: Timestamp, at now: Timestamp, spread: Duration) async throws -> CompactionReport? {
        try await store.compact(before: cutoff, at: now, spread: spread)
    }
    func reusableBytes() throws -> UInt64 { try store.reusableBytes() }
}

@Suite("The delivery engine on a full disk")
struct FullDiskEngineTests {
    @Test("an attempt made while the disk has no room for its record is recorded once there is room, tried every second, and never sent again")
    func theRecordIsRetriedNotTheAttempt() async throws {
        try await withEngine(refusals: 2) { run in
            _ = try await run.receiver.waitForRequests(count: 1, path: "/hook")
            for refusal in 1...2 {
                try await eventually("refusal \(refusal) is followed by a wait of a second") { run.waitsToRecord(refusalsLeft: 2 - refusal) }
                #expect(try run.successes() == 0)
                run.clock.advance(by: DeliveryEngine<ManualClock>.storageRetryDelay)
            }
            try await eventually("the success is recorded") { try run.successes() == 1 }
            #expect(run.receiver.requests(path: "/hook").count == 1, "the endpoint got the event once")
            #expect(run.log.withState { $0.queues[run.webhook]?.count ?? 0 } == 0)
        }
    }

    @Test("a graceful shutdown stops waiting for room: the attempt stays unrecorded, to be made again after the restart")
    func aShutdownStopsTheRetries() async throws {
        try await withEngine(refusals: .max) { run in
            try await eventually("the first refusal") { run.waitsToRecord(refusalsLeft: .max - 1) }
            run.engine.finishInFlight()
            run.clock.advance(by: DeliveryEngine<ManualClock>.storageRetryDelay)
            await run.task.value
            #expect(try run.successes() == 0)
            #expect(run.log.withState { $0.queues[run.webhook]?.count } == 1, "the delivery is still owed")
        }
    }

    /// An engine running over a log that refuses the next `refusals` records of attempts, with one webhook to a
    /// receiver and one event for it already sent; `body` gets them, and everything is stopped afterwards.
    private func withEngine(refusals: Int, _ body: (EngineRun) async throws -> Void) async throws {
        try await withTemporaryDirectory { directory in
            let clock = ManualClock()
            let log = NoRoomForAttempts(try LogStore(directory: directory), refusals: refusals)
            let receiver = try await TestReceiver.start()
            let sender = HTTPSender(clock: clock, realTimeLimit: ManualClock.senderRealTimeLimit)
            let engine = DeliveryEngine(
                store: log, sender: sender, notifications: NotificationSettings(smtp: nil, publicURL: "http://127.0.0.1:8080"),
                clock: clock)
            let task = Task { await engine.run() }
            let created = try await log.execute(
                .createWorkspace(name: "Acme", plan: .advanced, ownerEmail: "owner@acme.example"), at: clock.now)
            guard case .workspaceCreated(let workspace) = created[0].record.fact else { throw TestFailure("no workspace") }
            let hooked = try await log.execute(
                .createWebhook(workspace.workspaceID, url: receiver.url("/hook"), events: [.messageReceived]), at: clock.now)
            guard case .webhookCreated(let webhook) = hooked[0].record.fact else { throw TestFailure("no webhook") }
            _ = try await log.execute(.receiveEvent(IncomingEvent(
                workspaceID: workspace.workspaceID, eventID: EventID("evt_1"), type: .messageReceived, data: Array("{}".utf8))),
                at: clock.now)
            let run = EngineRun(clock: clock, log: log, receiver: receiver, engine: engine, task: task, webhook: webhook.webhookID)
            do {
                try await body(run)
            } catch {
                await run.stop(sender)
                throw error
            }
            await run.stop(sender)
        }
    }
}

/// What ``FullDiskEngineTests`` drive: an engine, its log and its endpoint.
struct EngineRun {
    let clock: ManualClock
    let log: NoRoomForAttempts
    let receiver: TestReceiver
    let engine: DeliveryEngine<ManualClock>
    let task: Task<Void, Never>
    let webhook: WebhookID

    /// Whether the engine has had its record refused until `refusalsLeft` remain, and sleeps until it tries again.
    func waitsToRecord(refusalsLeft: Int) -> Bool {
        log.refusals == refusalsLeft && clock.nextDeadline == clock.now.adding(DeliveryEngine<ManualClock>.storageRetryDelay)
    }

    /// How many successful attempts the log holds for the webhook.
    func successes() throws -> Int {
        try log.store.reader.records(ofWebhook: webhook).count { $0.record.fact.typeName == "AttemptSucceeded" }
    }

    /// Stops the engine, its sender, the log and the receiver.
    func stop(_ sender: HTTPSender<ManualClock>) async {
        task.cancel()
        await task.value
        try? await sender.shutdown()
        await log.close()
        try? await receiver.stop()
    }
}
