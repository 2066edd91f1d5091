import HookLogCore
import Testing

/// `GET /v1/webhooks/{id}/deliveries`, `GET /v1/events/{id}` and `hooklog history` show a delivery's attempts and
/// where it stands (docs/rules.md §1: queued, retrying, succeeded, dropped, skipped).
@Suite("Delivery history")
struct DeliveryHistoryTests {
    /// A compact view of one attempt, as the event log lists it.
    struct Line: Equatable, CustomStringConvertible {
        var number: Int
        var statusCode: Int?
        var error: AttemptError?

        init(_ number: Int, status: Int) { (self.number, statusCode, error) = (number, status, nil) }
        init(_ number: Int, error: AttemptError) { (self.number, statusCode, self.error) = (number, nil, error) }
        init(_ attempt: AttemptRecord) { (number, statusCode, error) = (attempt.number, attempt.statusCode, attempt.error) }

        var description: String { "#\(number) \(statusCode.map(String.init) ?? error?.rawValue ?? "?")" }
    }

    @Test("A webhook's history shows each delivery's numbered attempts and its final state: succeeded, dropped, skipped, queued after recovery")
    func aWebhooksHistoryTellsEachDeliverysStory() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let webhook = try scenario.createWebhook(in: workspace, url: "https://endpoint.example/hook")
        let noisy = try scenario.createWebhook(in: workspace, url: "https://noisy.example/hook", events: [.commentCreated])

        // 1: fails once, then succeeds.
        let succeeded = try scenario.send(.contactCreated, to: workspace)
        try scenario.attemptHead(of: webhook, answering: .status(503))
        scenario.advance(.seconds(30))
        try scenario.attemptHead(of: webhook, answering: .status(200))
        // 2: four failures, dropped.
        let dropped = try scenario.send(.contactCreated, to: workspace)
        for outcome: AttemptReport.Outcome in [.error(.timeout), .status(500), .error(.tls), .status(302)] {
            scenario.advance(.seconds(30))
            try scenario.attemptHead(of: webhook, answering: outcome)
        }
        // 3: one failure, then the workspace's budget runs out: skipped while retrying.
        let skipped = try scenario.send(.contactCreated, to: workspace)
        try scenario.failRepeatedly(noisy, times: 25)
        try scenario.attemptHead(of: webhook, answering: .error(.dns))
        #expect(try scenario.webhook(webhook).status == .disabled)
        // 4: arrives while disabled, skipped at once; both come back on enable with recover.
        let recovered = try scenario.send(.contactCreated, to: workspace)
        let beforeRecovery = scenario.history(of: webhook)
        try scenario.run(.enableWebhook(webhook, recover: true))

        let history = scenario.history(of: webhook)
        #expect(history.subject == .webhook(webhook))
        #expect(history.deliveries.map(\.eventID) == [succeeded, dropped, skipped, recovered].map(\.eventID))
        #expect(history.deliveries.map(\.deliveryID) == [succeeded, dropped, skipped, recovered].compactMap(\.deliveries.first?.deliveryID))
        #expect(history.deliveries.allSatisfy { $0.webhookID == webhook && $0.eventType == .contactCreated })

        #expect(beforeRecovery.deliveries.map(\.state) == [.succeeded, .dropped, .skipped, .skipped])
        #expect(history.deliveries.map(\.state) == [.succeeded, .dropped, .queued, .queued])

        #expect(history.deliveries[0].attempts.map(Line.init) == [Line(1, status: 503), Line(2, status: 200)])
        #expect(history.deliveries[0].attempts.map(\.succeeded) == [false, true])
        #expect(history.deliveries[0].attempts[0].nextAttemptAt == history.deliveries[0].attempts[1].startedAt)
        #expect(history.deliveries[0].attempts[1].responseSnippet == "response to attempt 2")
        #expect(history.deliveries[1].attempts.map(Line.init)
            == [Line(1, error: .timeout), Line(2, status: 500), Line(3, error: .tls), Line(4, status: 302)])
        #expect(history.deliveries[1].attempts.last?.nextAttemptAt == nil)
        #expect(history.deliveries[2].attempts.map(Line.init) == [Line(1, error: .dns)])
        #expect(history.deliveries[3].attempts.isEmpty)
    }

    @Test("A webhook's history leaves out other webhooks' deliveries")
    func aWebhooksHistoryIsItsOwn() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let mine = try scenario.createWebhook(in: workspace, url: "https://mine.example/hook")
        let theirs = try scenario.createWebhook(in: workspace, url: "https://theirs.example/hook")
        try scenario.send(2, to: workspace)
        try scenario.attemptHead(of: theirs, answering: .status(500))

        let history = scenario.history(of: mine)

        #expect(history.deliveries.count == 2)
        #expect(history.deliveries.allSatisfy { $0.webhookID == mine && $0.attempts.isEmpty && $0.state == .queued })
    }

    @Test("An event's history lists its deliveries to every webhook, each with its own attempts")
    func anEventsHistoryListsEveryWebhook() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let crm = try scenario.createWebhook(in: workspace, url: "https://crm.example/hook")
        let warehouse = try scenario.createWebhook(in: workspace, url: "https://warehouse.example/hook")
        let bystander = try scenario.createWebhook(in: workspace, url: "https://chat.example/hook", events: [.messageSent])
        let event = try scenario.send(.contactCreated, to: workspace)
        try scenario.send(.contactCreated, to: workspace)  // a later event: not part of this history
        try scenario.send(.messageSent, to: workspace)

        try scenario.attemptHead(of: crm, answering: .status(201))
        try scenario.attemptHead(of: crm, answering: .status(200))
        try scenario.attemptHead(of: warehouse, answering: .error(.connection))
        try scenario.attemptHead(of: bystander, answering: .status(200))

        let history = scenario.history(of: event.eventID)

        #expect(history.subject == .event(event.eventID))
        #expect(history.deliveries.map(\.webhookID) == event.deliveries.map(\.webhookID))
        #expect(Set(history.deliveries.map(\.webhookID)) == [crm, warehouse])
        let toCRM = try #require(history.deliveries.first { $0.webhookID == crm })
        #expect(toCRM.state == .succeeded)
        #expect(toCRM.attempts.map(Line.init) == [Line(1, status: 201)])
        let toWarehouse = try #require(history.deliveries.first { $0.webhookID == warehouse })
        #expect(toWarehouse.state == .retrying)
        #expect(toWarehouse.attempts.map(Line.init) == [Line(1, error: .connection)])
        #expect(toWarehouse.attempts.first?.nextAttemptAt == scenario.now.adding(.seconds(30)))
    }

    @Test("A redelivery appears in the history as a new delivery that names the one it repeats")
    func aRedeliveryAppearsInTheHistory() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let webhook = try scenario.createWebhook(in: workspace)
        let event = try scenario.send(to: workspace)
        let original = try #require(event.deliveries.first)
        try scenario.attemptHead(of: webhook, answering: .status(200))

        let records = try scenario.redeliver(original.deliveryID, of: event, to: webhook)
        let repeated = try #require(records.first?.fact.redeliveryRequested?.delivery.deliveryID)
        try scenario.attemptHead(of: webhook, answering: .status(202))

        for history in [scenario.history(of: webhook), scenario.history(of: event.eventID)] {
            #expect(history.deliveries.map(\.deliveryID) == [original.deliveryID, repeated])
            #expect(history.deliveries.map(\.redeliveryOf) == [nil, original.deliveryID])
            #expect(history.deliveries.map(\.state) == [.succeeded, .succeeded])
            #expect(history.deliveries.last?.attempts.map(Line.init) == [Line(1, status: 202)])
        }
    }
}
