import Foundation
import HookLogCore
import Testing

/// Issue #3: "a webhook with a million queued deliveries keeps only a window of them in RAM and pages the rest from
/// the log's indexes". A queue longer than its window must decide exactly what a queue kept whole decides.
@Suite("A queue's window in RAM")
struct QueueWindowTests {
    /// One story told under a queue window: an endpoint and a mirror share every event, the endpoint retries, drops,
    /// gets a redelivery, is disabled by a noisy neighbour, is enabled with recovery, is asked to recover deliveries
    /// it still has queued, and drains. After every step it notes both queues, whole and head first.
    struct WindowStory {
        var scenario: Scenario
        let window: Int?
        private(set) var queues: [[DeliveryID]] = []
        /// The most deliveries any queue held in RAM after a step.
        private(set) var largestWindow = 0
        /// Whether a queue kept deliveries beyond its window after some step.
        private(set) var overflowed = false

        init(window: Int?) {
            scenario = Scenario(queueWindow: window)
            self.window = window
        }

        /// Runs `step`, then notes the queues and checks that each window is a head-first part of its queue.
        mutating func step(_ step: (inout Scenario) throws -> Void) throws {
            try step(&scenario)
            for (webhookID, queue) in scenario.state.queues.sorted(by: { $0.key < $1.key }) {
                let whole = scenario.pendingDeliveries(of: webhookID)
                queues.append(whole)
                largestWindow = max(largestWindow, queue.pending.count)
                overflowed = overflowed || queue.overflow != nil
                #expect(Array(whole.prefix(queue.pending.count)) == queue.pending.map(\.reference.deliveryID))
                #expect(queue.count == whole.count)
                #expect(queue.head != nil || whole.isEmpty, "a queue with deliveries has a head in RAM")
            }
        }

        /// Tells the whole story; `windowedLate`, with queues kept whole until nine events are queued, and under the
        /// window from then on.
        static func told(window: Int?, windowedLate: Bool = false) throws -> WindowStory {
            var story = WindowStory(window: windowedLate ? nil : window)
            let workspace = try story.scenario.createWorkspace()
            let endpoint = try story.scenario.createWebhook(in: workspace, url: "https://endpoint.example/hook")
            let mirror = try story.scenario.createWebhook(in: workspace, url: "https://mirror.example/hook")
            let noisy = try story.scenario.createWebhook(
                in: workspace, url: "https://noisy.example/hook", events: [.commentCreated])
            var events: [EventReceived] = []
            for _ in 1...9 {
                try story.step { events.append(try $0.send(to: workspace)) }
            }
            if windowedLate, let window { story.scenario.takeWindow(window) }
            for webhook in [endpoint, endpoint, mirror] {
                try story.step { try $0.attemptHead(of: webhook, answering: .status(200)) }
            }
            for delay in [30, 60, 90, 0] {
                try story.step { scenario in
                    try scenario.failHead(of: endpoint)
                    scenario.advance(.seconds(Int64(delay)))
                }
            }
            try story.step { try $0.redeliver(try #require(events[0].deliveries.first?.deliveryID), of: events[0], to: endpoint) }
            while story.scenario.errorCount(of: workspace) < story.scenario.state.policy.errorLimit {
                try story.step { try $0.failRepeatedly(noisy, times: 1) }
            }
            try story.step { scenario in
                let disabling = try scenario.failHead(of: endpoint)
                #expect(disabling.compactMap(\.fact.webhookDisabled).map(\.webhookID) == [endpoint])
            }
            for _ in 1...2 {
                try story.step { try $0.send(to: workspace) }
            }
            try story.step { try $0.run(.enableWebhook(endpoint, recover: true)) }
            try story.step { scenario in
                let stillQueued = try #require(scenario.state.queues[endpoint]?.allDeliveries(
                    of: endpoint, from: RecordedLog(records: scenario.log)).map(\.reference))
                let dropped = try #require(scenario.log.compactMap(\.record.fact.deliveryDropped).first)
                let event = try #require(events.first { $0.deliveries.contains { $0.deliveryID == dropped.deliveryID } })
                let again = DeliveryReference(
                    deliveryID: dropped.deliveryID, eventID: event.eventID, eventType: event.type,
                    eventSequence: try scenario.sequence(of: event.eventID))
                let records = try scenario.run(.recoverDeliveries(endpoint, [stillQueued[5], again, stillQueued[0]]))
                #expect(records.compactMap(\.fact.deliveriesRecovered).map(\.deliveries) == [[again]],
                        "deliveries still queued, beyond the window or not, are not queued twice")
            }
            for _ in 1...3 {
                try story.step { try $0.send(to: workspace) }
            }
            for webhook in [endpoint, mirror] {
                var attempt = 0
                while story.scenario.state.queues[webhook]?.head != nil {
                    attempt += 1
                    try story.step { scenario in
                        scenario.advance(.seconds(90))
                        try scenario.attemptHead(of: webhook, answering: .status(attempt % 3 == 0 ? 502 : 204))
                    }
                }
            }
            return story
        }
    }

    @Test("With a window of 1, 2, 3 or 5 the log is record for record the one a queue kept whole writes", arguments: [1, 2, 3, 5])
    func aSmallWindowDecidesWhatAWholeQueueDecides(window: Int) throws {
        let whole = try WindowStory.told(window: nil)
        let windowed = try WindowStory.told(window: window)

        #expect(windowed.scenario.log == whole.scenario.log)
        #expect(windowed.queues == whole.queues)
        #expect(windowed.largestWindow <= window)
        #expect(whole.largestWindow > 2 * window, "the story queues far more than the window holds")
        #expect(windowed.scenario.log.count > 100)
    }

    @Test("Queues kept whole and then put under a window of 1, 2 or 5, as a copy from PostgreSQL is, decide what they decide whole", arguments: [1, 2, 5])
    func queuesWindowedLateDecideWhatWholeQueuesDecide(window: Int) throws {
        let whole = try WindowStory.told(window: nil)
        let windowedLate = try WindowStory.told(window: window, windowedLate: true)

        #expect(windowedLate.scenario.log == whole.scenario.log)
        #expect(windowedLate.queues == whole.queues)
        #expect(windowedLate.scenario.state.queueWindow == window)
        #expect(windowedLate.largestWindow > window, "the queues were longer than the window when it came")
        #expect(windowedLate.overflowed, "later deliveries went beyond it")
    }

    @Test("On disable every queued delivery is skipped in queue order, those beyond the window included")
    func disablingSkipsTheDeliveriesBeyondTheWindow() throws {
        var (scenario, workspace, webhook) = try Scenario.oneStrike(queueWindow: 2)
        try scenario.send(7, to: workspace)
        let queued = scenario.pendingDeliveries(of: webhook)
        #expect(queued.count == 7)
        #expect(scenario.state.queues[webhook]?.pending.count == 2)
        #expect(scenario.state.queues[webhook]?.overflow?.count == 5)

        try scenario.failHead(of: webhook)
        let records = try scenario.failHead(of: webhook)

        #expect(records.typeNames == ["AttemptFailed", "WebhookDisabled"])
        #expect(records.last?.fact.webhookDisabled?.skippedDeliveries == 7)
        #expect(scenario.skippedDeliveries(of: webhook) == queued)
        #expect(scenario.state.queues[webhook]?.count == 0)
        #expect(scenario.state.queues[webhook]?.overflow == nil)
        #expect(scenario.state.queues[webhook]?.skipped.count == 2, "what was beyond the window stays in the log")

        let whileDisabled = try (1...2).compactMap { _ in try scenario.send(to: workspace).deliveries.first?.deliveryID }
        #expect(scenario.skippedDeliveries(of: webhook) == queued + whileDisabled)
        try scenario.run(.enableWebhook(webhook, recover: true))
        #expect(scenario.pendingDeliveries(of: webhook) == queued + whileDisabled)
        #expect(scenario.skippedDeliveries(of: webhook).isEmpty)
    }

    @Test("A window is refilled once it is down to half its size, not after every delivery")
    func theWindowRefillsAtHalf() throws {
        var scenario = Scenario(queueWindow: 4)
        let workspace = try scenario.createWorkspace()
        let webhook = try scenario.createWebhook(in: workspace)
        try scenario.send(10, to: workspace)
        var windows: [Int] = []
        for _ in 1...6 {
            try scenario.attemptHead(of: webhook, answering: .status(200))
            windows.append(scenario.state.queues[webhook]?.pending.count ?? -1)
        }
        #expect(windows == [3, 4, 3, 4, 3, 4])
        #expect(scenario.state.queues[webhook]?.count == 4)
    }

    @Test("The fold reads nothing: at half it asks for the next deliveries, and the window fills when they are fed back")
    func theFoldAsksForTheRefill() throws {
        var scenario = Scenario(queueWindow: 2)
        let workspace = try scenario.createWorkspace()
        let webhook = try scenario.createWebhook(in: workspace)
        try scenario.send(5, to: workspace)
        var state = scenario.state
        let head = try #require(state.queues[webhook]?.head)
        let success = LoggedRecord(sequence: state.lastSequence + 1, record: Record(at: scenario.now, .attemptSucceeded(
            AttemptSucceeded(
                deliveryID: head.reference.deliveryID, webhookID: webhook, number: 1, startedAt: scenario.now,
                durationMilliseconds: 5, statusCode: 200, responseSnippet: ""))))

        let refills = state.evolve(success)

        let refill = try #require(refills.first)
        #expect(refills.count == 1)
        #expect(refill.webhookID == webhook)
        #expect(refill.limit == 1, "one place is free in a window of two")
        #expect(state.queues[webhook]?.pending.count == 1, "nothing was read yet")
        #expect(state.queues[webhook]?.count == 4)
        let page = RecordedLog(records: scenario.log + [success]).page(for: refill)
        state.refill(refill, with: page)
        #expect(state.queues[webhook]?.pending.count == 2)
        #expect(state.queues[webhook]?.count == 4)
        #expect(state.queues[webhook]?.pending.map(\.reference.deliveryID) == Array(scenario.pendingDeliveries(of: webhook).dropFirst().prefix(2)))
    }

    @Test("A checkpoint written before queue windows decodes as a whole queue without a window, so it is not reused")
    func aStateWithoutWindowFieldsDecodesAsAWholeQueue() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let webhook = try scenario.createWebhook(in: workspace)
        try scenario.send(3, to: workspace)
        var json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(scenario.state)) as? [String: Any])
        #expect(json.removeValue(forKey: "queueWindow") as? Int == 512, "the standard window is stored")

        let decoded = try JSONDecoder().decode(HookLogState.self, from: JSONSerialization.data(withJSONObject: json))

        #expect(decoded.queueWindow == nil)
        #expect(decoded.queueWindow != HookLogState.standardQueueWindow, "so a store with the standard window folds anew")
        #expect(decoded.queues[webhook]?.pending.count == 3)
        #expect(decoded.queues[webhook]?.overflow == nil)
    }
}
