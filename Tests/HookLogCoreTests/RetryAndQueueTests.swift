import HookLogCore
import Testing

/// docs/rules.md §2.1 (what counts as success), §2.2 (per-endpoint FIFO queues) and §2.3 (retries 30 s, 60 s and
/// 90 s after each failure, dropped after the fourth attempt).
@Suite("Retries and per-webhook queues")
struct RetryAndQueueTests {
    @Test("Retries come 30 s, 60 s and 90 s after each failure; the 4th failure drops the delivery and the next one becomes head")
    func retriesFollowTheScheduleAndTheFourthFailureDrops() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let webhook = try scenario.createWebhook(in: workspace)
        let first = try scenario.send(to: workspace)
        let second = try scenario.send(to: workspace)
        let t0 = scenario.now

        let failure1 = try scenario.attemptHead(of: webhook, answering: .status(503))
        #expect(failure1.typeNames == ["AttemptFailed"])
        #expect(failure1.first?.fact.attemptFailed?.number == 1)
        #expect(failure1.first?.fact.attemptFailed?.nextAttemptAt == t0.adding(.seconds(30)))
        #expect(scenario.state.queues[webhook]?.head?.state == .retrying)
        #expect(scenario.state.queues[webhook]?.head?.nextAttemptAt == t0.adding(.seconds(30)))

        scenario.now = t0.adding(.seconds(30))
        let failure2 = try scenario.attemptHead(of: webhook, answering: .error(.timeout))
        #expect(failure2.first?.fact.attemptFailed?.number == 2)
        #expect(failure2.first?.fact.attemptFailed?.nextAttemptAt == t0.adding(.seconds(90)))

        scenario.now = t0.adding(.seconds(90))
        let failure3 = try scenario.attemptHead(of: webhook, answering: .error(.connection))
        #expect(failure3.first?.fact.attemptFailed?.number == 3)
        #expect(failure3.first?.fact.attemptFailed?.nextAttemptAt == t0.adding(.seconds(180)))

        scenario.now = t0.adding(.seconds(180))
        let failure4 = try scenario.attemptHead(of: webhook, answering: .status(500))
        #expect(failure4.typeNames == ["AttemptFailed", "DeliveryDropped"])
        let lastAttempt = try #require(failure4.first?.fact.attemptFailed)
        #expect(lastAttempt.number == 4)
        #expect(lastAttempt.nextAttemptAt == nil)
        let dropped = try #require(failure4.last?.fact.deliveryDropped)
        #expect(dropped.deliveryID == first.deliveries.first?.deliveryID)
        #expect(dropped.webhookID == webhook)

        let head = try #require(scenario.state.queues[webhook]?.head)
        #expect(head.reference.deliveryID == second.deliveries.first?.deliveryID)
        #expect(head.attempts == 0)
        #expect(head.state == .queued)
        #expect(scenario.pendingDeliveries(of: webhook).count == 1)
    }

    @Test("Each webhook's deliveries queue in event order, and a success pops the head")
    func deliveriesQueueInEventOrderAndASuccessPopsTheHead() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let webhook = try scenario.createWebhook(in: workspace)
        let events = try (1...3).map { _ in try scenario.send(to: workspace) }
        let deliveries = events.compactMap { $0.deliveries.first?.deliveryID }
        #expect(deliveries.count == 3)

        #expect(scenario.pendingDeliveries(of: webhook) == deliveries)
        #expect(scenario.state.queues[webhook]?.pending.map(\.reference.eventID) == events.map(\.eventID))

        let failed = try scenario.failHead(of: webhook)
        #expect(failed.first?.fact.attemptFailed?.deliveryID == deliveries[0])
        #expect(scenario.pendingDeliveries(of: webhook) == deliveries, "a failure keeps the head at the front")

        scenario.advance(.seconds(30))
        let succeeded = try scenario.attemptHead(of: webhook, answering: .status(200))
        #expect(succeeded.typeNames == ["AttemptSucceeded"])
        let success = try #require(succeeded.first?.fact.attemptSucceeded)
        #expect(success.deliveryID == deliveries[0])
        #expect(success.number == 2)
        #expect(success.statusCode == 200)
        #expect(scenario.pendingDeliveries(of: webhook) == Array(deliveries.dropFirst()))

        try scenario.attemptHead(of: webhook, answering: .status(204))
        #expect(scenario.pendingDeliveries(of: webhook) == [deliveries[2]])
    }

    @Test("One webhook's failing head does not hold up another webhook's queue")
    func queuesNeverBlockEachOther() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let slow = try scenario.createWebhook(in: workspace, url: "https://slow.example/hook")
        let fast = try scenario.createWebhook(in: workspace, url: "https://fast.example/hook")
        try scenario.send(2, to: workspace)

        try scenario.attemptHead(of: slow, answering: .error(.timeout))
        try scenario.attemptHead(of: fast, answering: .status(200))
        try scenario.attemptHead(of: fast, answering: .status(200))

        #expect(scenario.pendingDeliveries(of: fast).isEmpty)
        #expect(scenario.pendingDeliveries(of: slow).count == 2)
        #expect(scenario.state.queues[slow]?.head?.attempts == 1)
    }

    @Test("An attempt for a delivery that is not its queue's head is refused with conflict, and nothing is recorded")
    func anAttemptForADeliveryBehindTheHeadIsRefused() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let webhook = try scenario.createWebhook(in: workspace)
        try scenario.send(to: workspace)
        let behind = try #require(try scenario.send(to: workspace).deliveries.first)
        let logBefore = scenario.log

        let error = #expect(throws: DecisionError.self) {
            try scenario.run(.recordAttempt(AttemptReport(
                webhookID: webhook, deliveryID: behind.deliveryID, startedAt: scenario.now, durationMilliseconds: 80,
                outcome: .status(200))))
        }
        #expect(error?.code == .conflict)
        #expect(error?.message.contains(behind.deliveryID.rawValue) == true)
        #expect(scenario.log == logBefore)
        #expect(scenario.pendingDeliveries(of: webhook).count == 2)
    }

    @Test("An attempt for a delivery that was already delivered is refused with conflict")
    func anAttemptForAFinishedDeliveryIsRefused() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let webhook = try scenario.createWebhook(in: workspace)
        let delivered = try #require(try scenario.send(to: workspace).deliveries.first)
        try scenario.attemptHead(of: webhook, answering: .status(200))

        let error = #expect(throws: DecisionError.self) {
            try scenario.run(.recordAttempt(AttemptReport(
                webhookID: webhook, deliveryID: delivered.deliveryID, startedAt: scenario.now, durationMilliseconds: 80,
                outcome: .status(200))))
        }
        #expect(error?.code == .conflict)
    }

    @Test("A 2xx answer is a success", arguments: [200, 201, 202, 204, 299])
    func twoHundredsAreSuccesses(status: Int) throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let webhook = try scenario.createWebhook(in: workspace)
        try scenario.send(to: workspace)

        let records = try scenario.attemptHead(of: webhook, answering: .status(status))

        #expect(records.typeNames == ["AttemptSucceeded"])
        #expect(records.first?.fact.attemptSucceeded?.statusCode == status)
        #expect(scenario.errorCount(of: workspace) == 0)
        #expect(scenario.pendingDeliveries(of: webhook).isEmpty)
    }

    @Test("Any other status, a 3xx redirect included, is a failed attempt that counts an error (410 Gone: GoneEndpointTests)",
          arguments: [100, 199, 300, 301, 302, 304, 307, 400, 404, 429, 500, 503])
    func otherStatusesAreFailures(status: Int) throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let webhook = try scenario.createWebhook(in: workspace)
        try scenario.send(to: workspace)

        let records = try scenario.attemptHead(of: webhook, answering: .status(status))

        #expect(records.typeNames == ["AttemptFailed"])
        #expect(records.first?.fact.attemptFailed?.failure == .status(status))
        #expect(scenario.errorCount(of: workspace) == 1)
        #expect(scenario.pendingDeliveries(of: webhook).count == 1)
    }

    @Test("An answer that never came (timeout, connection, TLS, DNS, too large) is a failed attempt",
          arguments: AttemptError.allCases)
    func errorsAreFailures(error: AttemptError) throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let webhook = try scenario.createWebhook(in: workspace)
        try scenario.send(to: workspace)

        let records = try scenario.attemptHead(of: webhook, answering: .error(error))

        #expect(records.first?.fact.attemptFailed?.failure == .error(error))
        #expect(scenario.errorCount(of: workspace) == 1)
    }

    @Test("A response snippet is kept to at most 1 KiB, cut at a character boundary")
    func responseSnippetsAreCappedAtOneKibibyte() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let webhook = try scenario.createWebhook(in: workspace)
        let delivery = try #require(try scenario.send(to: workspace).deliveries.first)
        let body = String(repeating: "é", count: 600)  // 1,200 bytes of two-byte characters

        let records = try scenario.run(.recordAttempt(AttemptReport(
            webhookID: webhook, deliveryID: delivery.deliveryID, startedAt: scenario.now, durationMilliseconds: 10,
            outcome: .status(500), responseSnippet: body)))

        let snippet = try #require(records.first?.fact.attemptFailed?.responseSnippet)
        #expect(snippet == String(repeating: "é", count: 512))
        #expect(snippet.utf8.count == 1024)
    }

    @Test("A redelivery joins the back of the webhook's queue as a new delivery of the same event")
    func aRedeliveryJoinsTheBackOfTheQueue() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let webhook = try scenario.createWebhook(in: workspace)
        let event = try scenario.send(to: workspace)
        let original = try #require(event.deliveries.first)
        try scenario.attemptHead(of: webhook, answering: .status(200))
        let waiting = try #require(try scenario.send(to: workspace).deliveries.first)

        let records = try scenario.redeliver(original.deliveryID, of: event, to: webhook)

        let redelivery = try #require(records.first?.fact.redeliveryRequested)
        #expect(redelivery.originalDeliveryID == original.deliveryID)
        #expect(redelivery.delivery.eventID == event.eventID)
        #expect(redelivery.delivery.eventSequence == (try scenario.sequence(of: event.eventID)))
        #expect(redelivery.delivery.deliveryID != original.deliveryID)
        #expect(scenario.pendingDeliveries(of: webhook) == [waiting.deliveryID, redelivery.delivery.deliveryID])
    }
}
