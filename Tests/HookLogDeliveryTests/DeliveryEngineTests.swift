import HookLogCore
import HookLogDelivery
@testable import HookLogStore
import HookLogTestSupport
import Testing

/// A running engine over a real log, a real HTTP sender and a real receiver on loopback, on a manual clock.
final class EngineHarness: Sendable {
    let directory: String
    let clock: ManualClock
    let store: LogStore
    let receiver: TestReceiver
    let sender: HTTPSender<ManualClock>
    let engine: DeliveryEngine<ManualClock>
    let task: Task<Void, Never>

    init(
        directory: String, clock: ManualClock = ManualClock(), receiver: TestReceiver? = nil, smtp: SMTPConfiguration? = nil,
        options: LogStore.Options = LogStore.Options()
    ) async throws {
        self.directory = directory
        self.clock = clock
        store = try LogStore(directory: directory, options: options)
        if let receiver {
            self.receiver = receiver
        } else {
            self.receiver = try await TestReceiver.start()
        }
        sender = HTTPSender(clock: clock, realTimeLimit: ManualClock.senderRealTimeLimit)
        engine = DeliveryEngine(
            store: store, sender: sender, notifications: NotificationSettings(smtp: smtp, publicURL: "http://127.0.0.1:8080"),
            clock: clock)
        let engine = engine
        task = Task { await engine.run() }
    }

    /// Stops the engine and closes the store, leaving the receiver running.
    func stopEngine() async throws {
        task.cancel()
        await task.value
        try await sender.shutdown()
        await store.close()
    }

    func workspace(plan: Plan = .advanced, owner: String = "owner@example.com") async throws -> WorkspaceID {
        let records = try await store.execute(.createWorkspace(name: "Acme", plan: plan, ownerEmail: owner), at: clock.now)
        guard case .workspaceCreated(let fact) = records[0].record.fact else { throw TestFailure("no workspace") }
        return fact.workspaceID
    }

    func webhook(in workspace: WorkspaceID, path: String, events: [EventType] = [.messageReceived]) async throws -> WebhookID {
        let records = try await store.execute(.createWebhook(workspace, url: receiver.url(path), events: events), at: clock.now)
        guard case .webhookCreated(let fact) = records[0].record.fact else { throw TestFailure("no webhook") }
        return fact.webhookID
    }

    @discardableResult
    func send(_ type: EventType = .messageReceived, to workspace: WorkspaceID, id: String) async throws -> [LoggedRecord] {
        try await store.execute(.receiveEvent(IncomingEvent(
            workspaceID: workspace, eventID: EventID(id), type: type, data: Array(#"{"n":"\#(id)"}"#.utf8))), at: clock.now)
    }

    func facts(of webhook: WebhookID) throws -> [Fact] {
        try store.reader.records(ofWebhook: webhook).map(\.record.fact)
    }

    func count(_ name: String, of webhook: WebhookID) throws -> Int {
        try facts(of: webhook).filter { $0.typeName == name }.count
    }

    /// Waits until the engine has done everything due at the clock's time: every active queue's head waits for a
    /// later time, and no e-mail is due.
    func settle() async throws {
        let now = clock.now
        try await eventually("the engine catches up with \(now)") { store.withState { $0.hasNothingDue(at: now) } }
    }

    /// Moves the clock in `step`s, letting the engine catch up after each, until `condition` holds.
    func advance(by step: Duration, until description: String, maxSteps: Int = 500, _ condition: () throws -> Bool) async throws {
        for _ in 0..<maxSteps {
            try await settle()
            if try condition() { return }
            clock.advance(by: step)
        }
        throw TestFailure("\(description) did not happen within \(maxSteps) steps of \(step)")
    }

    /// The event ids the receiver got at `path`, in order.
    func receivedEventIDs(_ path: String) -> [String] {
        receiver.requests(path: path).compactMap { request in request.headers.first { $0.0.lowercased() == "webhook-id" }?.1 }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

@Suite("The delivery engine")
struct DeliveryEngineTests {
    @Test("an event reaches its endpoint, signed, and the log records the success")
    func deliversAndRecordsSuccess() async throws {
        try await withTemporaryDirectory { directory in
            let harness = try await EngineHarness(directory: directory)
            let workspace = try await harness.workspace()
            let webhook = try await harness.webhook(in: workspace, path: "/ok")
            try await harness.send(to: workspace, id: "evt_1")
            let requests = try await harness.receiver.waitForRequests(count: 1, path: "/ok")
            #expect(requests[0].headers.contains { $0.0.lowercased() == "webhook-signature" && $0.1.hasPrefix("v1,") })
            try await eventually("the success is recorded") { try harness.count("AttemptSucceeded", of: webhook) == 1 }
            let history = try harness.store.reader.history(of: .webhook(webhook))
            #expect(history.deliveries.map(\.state) == [.succeeded])
            #expect(history.deliveries[0].attempts.map(\.statusCode) == [204])
            try await harness.stopEngine()
            try await harness.receiver.stop()
        }
    }

    @Test("a failing delivery is retried 30, 60 and 90 s after each failure, dropped after the 4th, and the queue moves on in order")
    func retryScheduleAndDrop() async throws {
        try await withTemporaryDirectory { directory in
            let harness = try await EngineHarness(directory: directory)
            let clock = harness.clock
            harness.receiver.setBehaviour(.sequence([
                .respond(status: 500), .respond(status: 503), .respond(status: 404), .respond(status: 500),
                .respond(status: 200),
            ]), forPath: "/flaky")
            let workspace = try await harness.workspace()
            let webhook = try await harness.webhook(in: workspace, path: "/flaky")
            try await harness.send(to: workspace, id: "evt_first")
            try await harness.send(to: workspace, id: "evt_second")
            let start = clock.now
            for (attempt, delay) in [(1, 0), (2, 30), (3, 60), (4, 90)] {
                clock.advance(by: .seconds(delay))
                _ = try await harness.receiver.waitForRequests(count: attempt, path: "/flaky")
                try await eventually("attempt \(attempt) is recorded") { try harness.count("AttemptFailed", of: webhook) == attempt }
                if attempt < 4 {
                    #expect(harness.receiver.requests(path: "/flaky").count == attempt, "nothing is sent before the retry is due")
                }
            }
            try await eventually("the first delivery is dropped and the second delivered") {
                try harness.count("DeliveryDropped", of: webhook) == 1 && harness.count("AttemptSucceeded", of: webhook) == 1
            }
            let failures = try harness.facts(of: webhook).compactMap { fact -> AttemptFailed? in
                if case .attemptFailed(let failed) = fact { failed } else { nil }
            }
            #expect(failures.map(\.startedAt) == [0, 30, 90, 180].map { start.adding(.seconds($0)) })
            #expect(failures.map(\.nextAttemptAt) == [30, 90, 180].map { start.adding(.seconds($0)) } + [nil])
            #expect(harness.receivedEventIDs("/flaky") == ["evt_first", "evt_first", "evt_first", "evt_first", "evt_second"])
            try await harness.stopEngine()
            try await harness.receiver.stop()
        }
    }

    @Test("fifty endpoints that never answer do not hold up a fast one")
    func slowEndpointsDoNotBlockAFastOne() async throws {
        try await withTemporaryDirectory { directory in
            let harness = try await EngineHarness(directory: directory)
            let workspace = try await harness.workspace()
            for index in 0..<50 {
                harness.receiver.setBehaviour(.hang, forPath: "/slow\(index)")
                _ = try await harness.webhook(in: workspace, path: "/slow\(index)")
            }
            let fast = try await harness.webhook(in: workspace, path: "/fast")
            for index in 0..<20 {
                try await harness.send(to: workspace, id: "evt_\(index)")
            }
            _ = try await harness.receiver.waitForRequests(count: 20, path: "/fast")
            try await eventually("all twenty fast deliveries succeed") { try harness.count("AttemptSucceeded", of: fast) == 20 }
            #expect(harness.receivedEventIDs("/fast") == (0..<20).map { "evt_\($0)" })
            let slowRequests = harness.receiver.requests().filter { $0.path.hasPrefix("/slow") }.count
            #expect(slowRequests == 50, "each slow endpoint holds exactly its head in flight")
            #expect(try await harness.store.reader.records(after: 0, limit: .max).allSatisfy { entry in
                if case .attemptFailed = entry.record.fact { false } else { true }
            }, "no slow attempt has timed out: the clock has not moved")
            harness.clock.advance(by: .seconds(5))
            try await eventually("the slow heads time out") {
                try harness.store.reader.records(after: 0, limit: .max).filter { $0.record.fact.typeName == "AttemptFailed" }.count == 50
            }
            try await harness.stopEngine()
            try await harness.receiver.stop()
        }
    }

    @Test("a webhook with far more deliveries queued than its window in RAM gets every one, in order, through a retry")
    func deliversAQueueLongerThanItsWindowInOrder() async throws {
        try await withTemporaryDirectory { directory in
            var options = LogStore.Options()
            options.queueWindow = 4
            let harness = try await EngineHarness(directory: directory, options: options)
            harness.receiver.setBehaviour(.sequence([
                .respond(status: 204), .respond(status: 204), .respond(status: 503), .respond(status: 204),
            ]), forPath: "/many")
            let workspace = try await harness.workspace()
            let webhook = try await harness.webhook(in: workspace, path: "/many")
            let ids = (0..<60).map { "evt_\($0)" }
            _ = try await harness.store.execute(ids.map { id in
                .receiveEvent(IncomingEvent(
                    workspaceID: workspace, eventID: EventID(id), type: .messageReceived, data: Array(#"{"n":1}"#.utf8)))
            }, at: harness.clock.now)
            #expect((harness.store.writerState.queues[webhook]?.pending.count ?? 0) <= 4)

            try await harness.advance(by: .seconds(30), until: "every delivery succeeds") {
                try harness.count("AttemptSucceeded", of: webhook) == 60
            }
            #expect(harness.receivedEventIDs("/many") == ["evt_0", "evt_1", "evt_2", "evt_2"] + ids[3...])
            #expect(try harness.count("AttemptFailed", of: webhook) == 1)
            #expect(harness.store.withState { $0.queues[webhook]?.count } == 0)
            try await harness.stopEngine()
            try await harness.receiver.stop()
        }
    }

    @Test("a graceful stop starts nothing new and returns once the attempt under way is recorded")
    func finishesInFlightOnGracefulStop() async throws {
        try await withTemporaryDirectory { directory in
            let harness = try await EngineHarness(directory: directory)
            harness.receiver.setBehaviour(.hang, forPath: "/slow")
            let workspace = try await harness.workspace()
            let webhook = try await harness.webhook(in: workspace, path: "/slow", events: [.messageSent])
            try await harness.send(.messageSent, to: workspace, id: "evt_1")
            try await harness.send(.messageSent, to: workspace, id: "evt_2")
            _ = try await harness.receiver.waitForRequests(count: 1, path: "/slow")
            harness.engine.finishInFlight()
            try await eventually("the attempt's deadline is set") { harness.clock.nextDeadline != nil }
            harness.clock.advance(by: .seconds(5))
            let returned = await withTaskGroup(of: Bool.self) { group in
                group.addTask {
                    await harness.task.value
                    return true
                }
                group.addTask {
                    try? await Task.sleep(for: .seconds(10))
                    harness.task.cancel()
                    return false
                }
                let first = await group.next()!  // two tasks were added
                group.cancelAll()
                return first
            }
            #expect(returned, "run() returns by itself once the attempt under way is recorded")
            let facts = try harness.facts(of: webhook)
            #expect(facts.filter { $0.typeName == "AttemptFailed" }.count == 1, "the attempt under way is recorded: \(facts.map(\.typeName))")
            harness.clock.advance(by: .seconds(60))
            try await Task.sleep(for: .milliseconds(100))
            #expect(harness.receiver.requests(path: "/slow").count == 1, "no new attempt starts after the stop was asked")
            try await harness.sender.shutdown()
            await harness.store.close()
            try await harness.receiver.stop()
        }
    }

    @Test("after a restart every delivery finishes, with the attempt numbers it had")
    func resumesAfterRestart() async throws {
        try await withTemporaryDirectory { directory in
            let clock = ManualClock()
            let first = try await EngineHarness(directory: directory, clock: clock)
            first.receiver.setBehaviour(.sequence([.respond(status: 500), .respond(status: 200)]), forPath: "/retry")
            let workspace = try await first.workspace()
            let retrying = try await first.webhook(in: workspace, path: "/retry", events: [.contactCreated])
            first.receiver.setBehaviour(.hang, forPath: "/queued")
            let queued = try await first.webhook(in: workspace, path: "/queued", events: [.messageSent])
            try await first.send(.contactCreated, to: workspace, id: "evt_retry")
            try await first.send(.messageSent, to: workspace, id: "evt_q1")
            try await first.send(.messageSent, to: workspace, id: "evt_q2")
            try await eventually("the first attempt failed") { try first.count("AttemptFailed", of: retrying) == 1 }
            _ = try await first.receiver.waitForRequests(count: 1, path: "/queued")
            try await first.stopEngine()

            first.receiver.setBehaviour(.respond(status: 200), forPath: "/queued")
            clock.advance(by: .seconds(60))
            let second = try await EngineHarness(directory: directory, clock: clock, receiver: first.receiver)
            try await eventually("both queues are delivered") {
                try second.count("AttemptSucceeded", of: retrying) == 1 && second.count("AttemptSucceeded", of: queued) == 2
            }
            let retried = try second.store.reader.history(of: .webhook(retrying)).deliveries
            #expect(retried.map(\.state) == [.succeeded])
            #expect(retried[0].attempts.map(\.number) == [1, 2])
            #expect(try second.store.reader.history(of: .webhook(queued)).deliveries.map { $0.attempts.map(\.number) } == [[1], [1]])
            #expect(second.receivedEventIDs("/queued") == ["evt_q1", "evt_q1", "evt_q2"])
            try await second.stopEngine()
            try await second.receiver.stop()
        }
    }

    @Test("the 31st failure in 30 minutes across a workspace's webhooks disables the one that failed, and the owner gets one e-mail per disable")
    func sharedBudgetDisablesAndMailsTheOwner() async throws {
        try await withTemporaryDirectory { directory in
            let sink = try await SMTPSink()
            defer { sink.stop() }
            let smtp = try SMTPConfiguration(url: "smtp://127.0.0.1:\(sink.port)", sender: "hooklog@example.com")
            let harness = try await EngineHarness(directory: directory, smtp: smtp)
            harness.receiver.setBehaviour(.respond(status: 500, body: "database down"), forPath: "/a")
            harness.receiver.setBehaviour(.respond(status: 503), forPath: "/b")
            let workspace = try await harness.workspace(owner: "ops@acme.example")
            let a = try await harness.webhook(in: workspace, path: "/a", events: [.contactCreated])
            let b = try await harness.webhook(in: workspace, path: "/b", events: [.messageSent])
            for index in 0..<6 {
                try await harness.send(.contactCreated, to: workspace, id: "evt_a\(index)")
                try await harness.send(.messageSent, to: workspace, id: "evt_b\(index)")
            }
            let log = { try harness.store.reader.records(after: 0, limit: .max).map(\.record.fact) }
            try await harness.advance(by: .seconds(30), until: "a webhook is disabled") {
                try log().contains { $0.typeName == "WebhookDisabled" }
            }
            let facts = try log()
            let firstDisable = try #require(facts.firstIndex { $0.typeName == "WebhookDisabled" })
            let crossingIndex = try #require(facts[..<firstDisable].lastIndex { $0.typeName == "AttemptFailed" })
            #expect(facts[(crossingIndex + 1)..<firstDisable].allSatisfy { $0.typeName == "DeliveryDropped" },
                    "the disable is decided with the failure that crossed the budget")
            guard case .webhookDisabled(let disabled) = facts[firstDisable],
                  case .attemptFailed(let crossing) = facts[crossingIndex]
            else { throw TestFailure("expected the crossing failure and the disable") }
            #expect(disabled.webhookID == crossing.webhookID)
            #expect(disabled.errorCount == 31)
            #expect(facts[..<firstDisable].filter { $0.typeName == "AttemptFailed" }.count == 31)
            #expect(Set(facts[..<firstDisable].compactMap { fact -> WebhookID? in
                if case .attemptFailed(let failed) = fact { failed.webhookID } else { nil }
            }) == [a, b], "both webhooks spent the shared budget")

            try await eventually("the owner is mailed about the disabled webhook") {
                try sink.messages().contains {
                    $0.body.contains(disabled.webhookID.rawValue) && $0.header("Subject")?.contains("was disabled") == true
                }
            }
            let mail = try #require(try sink.messages().first {
                $0.body.contains(disabled.webhookID.rawValue) && $0.header("Subject")?.contains("was disabled") == true
            })
            #expect(mail.recipients == ["ops@acme.example"])
            #expect(mail.header("Subject")?.contains("disabled") == true)
            #expect(mail.body.contains("http://127.0.0.1:8080/webhooks/\(disabled.webhookID)"), "a link to its event log on the dashboard")
            #expect(mail.body.contains("http://127.0.0.1:8080/webhooks\n"), "and to the webhooks page, where its Enable button is")
            try await eventually("the e-mail is recorded as sent") {
                try harness.facts(of: disabled.webhookID).contains { $0.typeName == "NotificationSent" }
            }

            let other = disabled.webhookID == a ? b : a
            try await harness.advance(by: .seconds(30), until: "the other webhook fails again and is disabled too") {
                harness.store.withState { $0.webhooks[other]?.status } == .disabled
            }
            try await eventually("each disable sent exactly one e-mail") {
                try sink.messages().count { $0.header("Subject")?.contains("was disabled") == true } == 2
                    && harness.facts(of: other).contains { $0.typeName == "NotificationSent" }
            }
            #expect(try log().filter { $0.typeName == "WebhookDisabled" }.count == 2)
            #expect(try log().filter { $0.typeName == "NotificationSent" }.count == 2)
            try await harness.stopEngine()
            try await harness.receiver.stop()
        }
    }

    @Test("failures spread over more than 30 minutes never disable a webhook")
    func spreadFailuresNeverDisable() async throws {
        try await withTemporaryDirectory { directory in
            let harness = try await EngineHarness(directory: directory)
            harness.receiver.setBehaviour(.respond(status: 500), forPath: "/down")
            let workspace = try await harness.workspace()
            let webhook = try await harness.webhook(in: workspace, path: "/down")
            for index in 0..<16 {
                try await harness.send(to: workspace, id: "evt_\(index)")
                try await harness.advance(by: .seconds(30), until: "the delivery is dropped") {
                    try harness.count("DeliveryDropped", of: webhook) == index + 1
                }
                harness.clock.advance(by: .seconds(300))
            }
            #expect(try harness.count("AttemptFailed", of: webhook) == 64)
            #expect(harness.store.withState { $0.webhooks[webhook]?.status } == .active)
            try await harness.stopEngine()
            try await harness.receiver.stop()
        }
    }

    @Test("with the mail server down at first, the e-mail is retried until it arrives, and the log shows the failure then the success")
    func notificationRetriedUntilTheMailServerIsUp() async throws {
        try await withTemporaryDirectory { directory in
            let refusing = RefusingPort()
            let port = refusing.port
            let smtp = try SMTPConfiguration(url: "smtp://127.0.0.1:\(port)", sender: "hooklog@example.com")
            let harness = try await EngineHarness(directory: directory, smtp: smtp)
            harness.receiver.setBehaviour(.respond(status: 500), forPath: "/down")
            let workspace = try await harness.workspace(owner: "owner@acme.example")
            let webhook = try await harness.webhook(in: workspace, path: "/down")
            for index in 0..<8 { try await harness.send(to: workspace, id: "evt_\(index)") }
            try await harness.advance(by: .seconds(30), until: "the webhook is disabled") {
                harness.store.withState { $0.webhooks[webhook]?.status } == .disabled
            }
            try await eventually("the first try fails: nothing listens") {
                try harness.count("NotificationFailed", of: webhook) == 1
            }
            let sink = try await SMTPSink(on: refusing)
            defer { sink.stop() }
            try await harness.advance(by: .seconds(30), until: "the e-mail is sent") {
                try harness.count("NotificationSent", of: webhook) == 1
            }
            let mails = try await sink.waitForMessages(count: 1)
            #expect(mails[0].recipients == ["owner@acme.example"])
            let notifications = try harness.facts(of: webhook).map(\.typeName).filter { $0.hasPrefix("Notification") }
            #expect(notifications.first == "NotificationFailed")
            #expect(notifications.last == "NotificationSent")
            #expect(notifications.filter { $0 == "NotificationSent" }.count == 1)
            try await harness.stopEngine()
            try await harness.receiver.stop()
        }
    }
}
