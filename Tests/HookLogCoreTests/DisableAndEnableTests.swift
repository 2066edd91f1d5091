import HookLogCore
import Testing

/// docs/rules.md §2.5: "On disable: the webhook's queued deliveries and every later matching event become skipped
/// (they stay in the log and can be recovered)". §2.6: "Re-enable … makes it active again … With ?recover=true the
/// deliveries skipped while it was disabled are queued again, in their original order."
@Suite("Disabling and re-enabling a webhook")
struct DisableAndEnableTests {
    /// A workspace whose error budget a `noisy` webhook has used up (30 failures), beside the `endpoint` under test.
    struct BudgetSpent {
        var scenario = Scenario()
        let workspace: WorkspaceID
        let endpoint: WebhookID
        let noisy: WebhookID

        init() throws {
            workspace = try scenario.createWorkspace()
            endpoint = try scenario.createWebhook(in: workspace, url: "https://endpoint.example/hook")
            noisy = try scenario.createWebhook(in: workspace, url: "https://noisy.example/hook", events: [.commentCreated])
            try scenario.failRepeatedly(noisy, times: 30)
        }
    }

    @Test("On disable, the webhook's queued deliveries are skipped, the retrying head included, in queue order, by the one disable record")
    func disablingSkipsTheQueuedDeliveries() throws {
        var story = try BudgetSpent()
        let queued = try (1...3).compactMap { _ in try story.scenario.send(to: story.workspace).deliveries.first?.deliveryID }

        let records = try story.scenario.failHead(of: story.endpoint)

        #expect(records.typeNames == ["AttemptFailed", "WebhookDisabled"])
        #expect(records.last?.fact.webhookDisabled?.skippedDeliveries == 3)
        #expect(story.scenario.pendingDeliveries(of: story.endpoint).isEmpty)
        #expect(story.scenario.skippedDeliveries(of: story.endpoint) == queued)
        #expect(try story.scenario.webhook(story.endpoint).status == .disabled)
    }

    @Test("When the disabling failure was a delivery's last attempt, that delivery is dropped, not skipped")
    func aDisablingLastAttemptDropsItsDelivery() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let endpoint = try scenario.createWebhook(in: workspace, url: "https://endpoint.example/hook")
        let noisy = try scenario.createWebhook(in: workspace, url: "https://noisy.example/hook", events: [.commentCreated])
        let queued = try (1...2).compactMap { _ in try scenario.send(to: workspace).deliveries.first?.deliveryID }
        for _ in 1...3 { try scenario.failHead(of: endpoint) }
        try scenario.failRepeatedly(noisy, times: 27)

        let records = try scenario.failHead(of: endpoint)

        #expect(records.typeNames == ["AttemptFailed", "DeliveryDropped", "WebhookDisabled"])
        #expect(records.first?.fact.attemptFailed?.number == 4)
        #expect(records.compactMap(\.fact.deliveryDropped).map(\.deliveryID) == [queued[0]])
        #expect(records.last?.fact.webhookDisabled?.skippedDeliveries == 1)
        #expect(scenario.skippedDeliveries(of: endpoint) == [queued[1]])
        #expect(scenario.pendingDeliveries(of: endpoint).isEmpty)
    }

    @Test("A matching event for a disabled webhook is recorded with its fanout and immediately skipped")
    func aLaterEventForADisabledWebhookIsSkipped() throws {
        var story = try BudgetSpent()
        try story.scenario.send(to: story.workspace)
        try story.scenario.failHead(of: story.endpoint)
        #expect(try story.scenario.webhook(story.endpoint).status == .disabled)

        story.scenario.advance(.seconds(60))
        let records = try story.scenario.run(.receiveEvent(IncomingEvent(
            workspaceID: story.workspace, type: .contactCreated, data: Array(#"{"contact":{"id":2}}"#.utf8))))

        #expect(records.typeNames == ["EventReceived", "DeliverySkipped"])
        let received = try #require(records.first?.fact.eventReceived)
        let fanout = try #require(received.deliveries.first)
        #expect(received.deliveries.count == 1)
        #expect(fanout.webhookID == story.endpoint)
        #expect(records.last?.fact.deliverySkipped == DeliverySkipped(deliveryID: fanout.deliveryID, webhookID: story.endpoint))
        #expect(story.scenario.pendingDeliveries(of: story.endpoint).isEmpty)
        #expect(story.scenario.skippedDeliveries(of: story.endpoint).last == fanout.deliveryID)
    }

    @Test("Enable with recover=true queues the skipped deliveries again in their original order")
    func enableWithRecoverQueuesTheSkippedDeliveriesInOrder() throws {
        var story = try BudgetSpent()
        let beforeDisable = try (1...2).compactMap { _ in try story.scenario.send(to: story.workspace).deliveries.first?.deliveryID }
        try story.scenario.failHead(of: story.endpoint)
        let whileDisabled = try (1...2).compactMap { _ in try story.scenario.send(to: story.workspace).deliveries.first?.deliveryID }
        let skipped = beforeDisable + whileDisabled

        story.scenario.advance(.seconds(600))
        let records = try story.scenario.run(.enableWebhook(story.endpoint, recover: true))

        #expect(records.typeNames == ["WebhookEnabled"])
        #expect(records.first?.fact.webhookEnabled
            == WebhookEnabled(webhookID: story.endpoint, workspaceID: story.workspace, recover: true, recoveredDeliveries: 4))
        #expect(story.scenario.pendingDeliveries(of: story.endpoint) == skipped)
        #expect(story.scenario.state.queues[story.endpoint]?.pending.allSatisfy { $0.attempts == 0 } == true)
        #expect(story.scenario.skippedDeliveries(of: story.endpoint).isEmpty)
        let webhook = try story.scenario.webhook(story.endpoint)
        #expect(webhook.status == .active)
        #expect(webhook.disabledReason == nil)
        #expect(webhook.disabledAt == nil)
    }

    @Test("Enable with recover=false makes the webhook active but queues nothing again")
    func enableWithoutRecoverQueuesNothing() throws {
        var story = try BudgetSpent()
        try story.scenario.send(2, to: story.workspace)
        try story.scenario.failHead(of: story.endpoint)

        let records = try story.scenario.run(.enableWebhook(story.endpoint, recover: false))

        #expect(records.typeNames == ["WebhookEnabled"])
        #expect(records.first?.fact.webhookEnabled?.recover == false)
        #expect(records.first?.fact.webhookEnabled?.recoveredDeliveries == 0)
        #expect(try story.scenario.webhook(story.endpoint).status == .active)
        #expect(story.scenario.pendingDeliveries(of: story.endpoint).isEmpty)

        let next = try #require(try story.scenario.send(to: story.workspace).deliveries.first)
        #expect(story.scenario.pendingDeliveries(of: story.endpoint) == [next.deliveryID], "new events flow again")
    }

    @Test("Recovering after a second disable brings back only what was skipped during that disable")
    func recoverBringsBackOnlyTheLatestDisablesSkips() throws {
        var story = try BudgetSpent()
        let firstOutage = try #require(try story.scenario.send(to: story.workspace).deliveries.first?.deliveryID)
        try story.scenario.failHead(of: story.endpoint)
        try story.scenario.run(.enableWebhook(story.endpoint, recover: false))  // the owner lets the first outage go

        let secondOutage = try #require(try story.scenario.send(to: story.workspace).deliveries.first?.deliveryID)
        try story.scenario.failRepeatedly(story.noisy, times: 30)
        try story.scenario.failHead(of: story.endpoint)
        #expect(try story.scenario.webhook(story.endpoint).status == .disabled)

        let records = try story.scenario.run(.enableWebhook(story.endpoint, recover: true))

        #expect(records.first?.fact.webhookEnabled?.recoveredDeliveries == 1)
        #expect(story.scenario.pendingDeliveries(of: story.endpoint) == [secondOutage],
                "\(firstOutage), skipped in the first outage and not recovered then, must not come back")
    }

    @Test("A log from before the one-record disable and enable, with a record per skipped and recovered delivery, folds alike")
    func theOlderRecordShapesFoldAlike() throws {
        var story = try BudgetSpent()
        try story.scenario.send(3, to: story.workspace)
        try story.scenario.failHead(of: story.endpoint)
        try story.scenario.send(2, to: story.workspace)
        story.scenario.advance(.seconds(600))
        try story.scenario.run(.enableWebhook(story.endpoint, recover: true))

        var older = HookLogState(policy: story.scenario.state.policy, queueWindow: story.scenario.state.queueWindow)
        var olderLog: [LoggedRecord] = []
        func fold(_ fact: Fact, at time: Timestamp) {
            let entry = LoggedRecord(sequence: older.lastSequence + 1, record: Record(at: time, fact))
            olderLog.append(entry)
            older.evolve(entry)
        }
        for entry in story.scenario.log {
            let at = entry.record.at
            switch entry.record.fact {
            case .webhookDisabled(var disabled):
                disabled.skippedDeliveries = nil
                let queued = older.queues[disabled.webhookID]?.allDeliveries(
                    of: disabled.webhookID, from: RecordedLog(records: olderLog)) ?? []
                fold(.webhookDisabled(disabled), at: at)
                for delivery in queued {
                    fold(.deliverySkipped(DeliverySkipped(deliveryID: delivery.reference.deliveryID, webhookID: disabled.webhookID)), at: at)
                }
            case .webhookEnabled(var enabled):
                enabled.recoveredDeliveries = nil
                let skipped = older.queues[enabled.webhookID]?.skipped ?? []
                fold(.webhookEnabled(enabled), at: at)
                fold(.deliveriesRecovered(DeliveriesRecovered(webhookID: enabled.webhookID, deliveries: skipped)), at: at)
            default:
                fold(entry.record.fact, at: at)
            }
        }

        #expect(olderLog.count == story.scenario.log.count + 3 + 1)
        let newer = story.scenario.state
        #expect(older.webhooks == newer.webhooks)
        #expect(older.errorWindows == newer.errorWindows)
        #expect(older.notifications == newer.notifications)
        let queue = { (state: HookLogState) in
            state.queues[story.endpoint]?.pending.map { [$0.reference.deliveryID.rawValue, "\($0.attempts)", "\($0.nextAttemptAt)"] }
        }
        #expect(queue(older) == queue(newer))
        #expect(queue(newer)?.count == 5)
        var newerHistory = DeliveryHistory(of: .webhook(story.endpoint))
        var olderHistory = DeliveryHistory(of: .webhook(story.endpoint))
        story.scenario.log.forEach { newerHistory.apply($0) }
        olderLog.forEach { olderHistory.apply($0) }
        #expect(newerHistory.deliveries.map(\.state) == Array(repeating: .queued, count: 5))
        #expect(olderHistory.deliveries.map { [$0.deliveryID: $0.attempts] } == newerHistory.deliveries.map { [$0.deliveryID: $0.attempts] })
    }

    @Test("Enabling a webhook that is already active records nothing")
    func enablingAnActiveWebhookRecordsNothing() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let webhook = try scenario.createWebhook(in: workspace)
        try scenario.failRepeatedly(webhook, times: 5)
        let before = scenario.state

        #expect(try scenario.run(.enableWebhook(webhook, recover: true)).isEmpty)
        #expect(try scenario.run(.enableWebhook(webhook, recover: false)).isEmpty)
        #expect(scenario.state == before)
        #expect(scenario.errorCount(of: workspace) == 5, "no fresh window without an actual enable")
    }

    @Test("Recovering or redelivering on a disabled webhook is refused with conflict")
    func recoveringOnADisabledWebhookIsRefused() throws {
        var story = try BudgetSpent()
        let event = try story.scenario.send(to: story.workspace)
        let delivery = try #require(event.deliveries.first)
        try story.scenario.failHead(of: story.endpoint)
        let reference = try #require(story.scenario.state.queues[story.endpoint]?.skipped.first)

        let recover = #expect(throws: DecisionError.self) {
            try story.scenario.run(.recoverDeliveries(story.endpoint, [reference]))
        }
        #expect(recover?.code == .conflict)
        let redeliver = #expect(throws: DecisionError.self) {
            try story.scenario.run(.redeliver(
                story.endpoint, original: delivery.deliveryID, eventID: event.eventID, eventType: event.type,
                eventSequence: reference.eventSequence))
        }
        #expect(redeliver?.code == .conflict)
    }
}
