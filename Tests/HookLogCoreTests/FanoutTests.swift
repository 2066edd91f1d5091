import HookLogCore
import Testing

/// docs/rules.md §1: webhooks need the advanced plan or higher, and an event goes to every webhook of its workspace
/// subscribed to its type.
@Suite("Plans and fan-out")
struct FanoutTests {
    @Test("A workspace below the advanced plan cannot create a webhook", arguments: [Plan.starter, .growth])
    func webhooksNeedTheAdvancedPlan(plan: Plan) throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace(plan: plan)
        let logBefore = scenario.log

        let error = #expect(throws: DecisionError.self) {
            try scenario.run(.createWebhook(workspace, url: "https://hooks.example/in", events: [.contactCreated]))
        }
        #expect(error?.code == .planRequired)
        #expect(error?.message.contains(plan.rawValue) == true)
        #expect(scenario.log == logBefore)
        #expect(scenario.state.webhooks.isEmpty)
    }

    @Test("Advanced and enterprise workspaces can create webhooks", arguments: [Plan.advanced, .enterprise])
    func advancedAndEnterpriseMayHaveWebhooks(plan: Plan) throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace(plan: plan)
        let webhook = try scenario.createWebhook(in: workspace)

        let created = try scenario.webhook(webhook)
        #expect(created.workspaceID == workspace)
        #expect(created.status == .active)
        #expect(created.id.rawValue.hasPrefix("wh_"))
        #expect(created.secret.hasPrefix("whsec_"))
        #expect(scenario.state.webhooks(of: workspace).map(\.id) == [webhook])
    }

    @Test("Events of a workspace moved below advanced have no deliveries, even to its existing webhooks")
    func eventsOfAWorkspaceBelowAdvancedHaveNoDeliveries() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace(plan: .enterprise)
        let webhook = try scenario.createWebhook(in: workspace)
        try scenario.run(.changeWorkspace(workspace, plan: .growth, ownerEmail: nil))

        let received = try scenario.send(to: workspace)

        #expect(received.deliveries.isEmpty)
        #expect(scenario.pendingDeliveries(of: webhook).isEmpty)
        #expect(scenario.state.workspaces[workspace]?.plan == .growth)
    }

    @Test("Events of a starter workspace are received, with no deliveries")
    func eventsOfAStarterWorkspaceAreReceivedWithoutDeliveries() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace(plan: .starter)

        let records = try scenario.run(.receiveEvent(IncomingEvent(
            workspaceID: workspace, type: .messageSent, data: Array(#"{"text":"hi"}"#.utf8))))

        #expect(records.typeNames == ["EventReceived"])
        #expect(records.first?.fact.eventReceived?.deliveries == [])
    }

    @Test("An event fans out only to the webhooks subscribed to its type")
    func eventsFanOutOnlyToSubscribedWebhooks() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let contacts = try scenario.createWebhook(in: workspace, url: "https://crm.example/hook", events: [.contactCreated])
        let both = try scenario.createWebhook(
            in: workspace, url: "https://both.example/hook", events: [.messageReceived, .contactCreated])
        let messages = try scenario.createWebhook(in: workspace, url: "https://chat.example/hook", events: [.messageSent])
        let other = try scenario.createWorkspace("Globex", owner: "ops@globex.example")
        let elsewhere = try scenario.createWebhook(in: other, url: "https://globex.example/hook", events: [.contactCreated])

        let received = try scenario.send(.contactCreated, to: workspace)

        #expect(Set(received.deliveries.map(\.webhookID)) == [contacts, both])
        #expect(received.deliveries.count == 2)
        #expect(Set(received.deliveries.map(\.deliveryID)).count == 2, "one delivery id per webhook")
        #expect(received.deliveries.allSatisfy { $0.deliveryID.rawValue.hasPrefix("dlv_") })
        #expect(scenario.pendingDeliveries(of: contacts).count == 1)
        #expect(scenario.pendingDeliveries(of: both).count == 1)
        #expect(scenario.pendingDeliveries(of: messages).isEmpty)
        #expect(scenario.pendingDeliveries(of: elsewhere).isEmpty)
    }

    @Test("An event keeps the client's id, time, data and idempotency key, and gets an evt_ id when it has none")
    func anEventKeepsWhatTheClientSent() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let occurredAt = try #require(Timestamp(parsing: "2026-11-25T19:59:58.250Z"))
        let data = Array(#"{"contact":{"id":7,"name":"Zoë"}}"#.utf8)

        let named = try scenario.run(.receiveEvent(IncomingEvent(
            workspaceID: workspace, eventID: EventID("evt_client_1"), type: .contactUpdated, occurredAt: occurredAt,
            data: data, idempotencyKey: "key-1")))
        let anonymous = try scenario.send(.contactUpdated, to: workspace)

        let received = try #require(named.first?.fact.eventReceived)
        #expect(received.eventID == EventID("evt_client_1"))
        #expect(received.occurredAt == occurredAt)
        #expect(received.data == data)
        #expect(received.idempotencyKey == "key-1")
        #expect(named.first?.at == scenario.now)
        #expect(anonymous.eventID.rawValue.hasPrefix("evt_"))
        #expect(anonymous.occurredAt == scenario.now, "an event without occurred_at happened when it was received")
    }

    @Test("A webhook's event types can be changed, and later events follow the new subscription")
    func updatingTheEventTypesChangesTheFanout() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let webhook = try scenario.createWebhook(in: workspace, events: [.contactCreated])

        try scenario.run(.updateWebhook(webhook, url: nil, events: [.messageSent]))

        #expect(try scenario.send(.contactCreated, to: workspace).deliveries.isEmpty)
        #expect(try scenario.send(.messageSent, to: workspace).deliveries.map(\.webhookID) == [webhook])
        #expect(try scenario.webhook(webhook).url == "https://hooks.acme.example/in")
    }

    @Test("A deleted webhook gets no more deliveries and its queue is gone")
    func aDeletedWebhookGetsNoDeliveries() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let webhook = try scenario.createWebhook(in: workspace)
        try scenario.send(to: workspace)

        try scenario.run(.deleteWebhook(webhook))

        #expect(scenario.state.webhooks[webhook] == nil)
        #expect(scenario.state.queues[webhook] == nil)
        #expect(try scenario.send(to: workspace).deliveries.isEmpty)
        let error = #expect(throws: DecisionError.self) { try scenario.run(.deleteWebhook(webhook)) }
        #expect(error?.code == .notFound)
    }
}
