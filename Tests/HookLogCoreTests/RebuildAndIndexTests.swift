import HookLogCore
import Testing

/// docs/rules.md §3: "Projections are pure folds of records … Rebuilding from the log must give exactly the state the
/// service had." And the query indexes a record is filed under.
@Suite("Rebuild and index keys")
struct RebuildAndIndexTests {
    /// A day in the life of a workspace, touching every kind of fact.
    static func busyDay() throws -> Scenario {
        var scenario = Scenario(seed: 2026)
        let acme = try scenario.createWorkspace("Acme", plan: .enterprise, owner: "alice@acme.example")
        let globex = try scenario.createWorkspace("Globex", plan: .growth, owner: "hank@globex.example")
        let keyRecords = try scenario.run(.issueApiKey(acme, keyHash: Array(repeating: 0xAB, count: 32), hint: "hk_abcd"))
        let crm = try scenario.createWebhook(in: acme, url: "https://crm.example/hook", events: [.contactCreated, .contactUpdated])
        let chat = try scenario.createWebhook(in: acme, url: "https://chat.example/hook", events: [.messageReceived, .contactCreated])
        let spare = try scenario.createWebhook(in: acme, url: "https://spare.example/hook", events: [.commentCreated])
        try scenario.run(.updateWebhook(chat, url: "https://chat.example/v2/hook", events: nil))
        try scenario.run(.setOperationsWebhook(acme, url: "https://ops.acme.example/in"))
        try scenario.send(4, .contactCreated, to: acme)
        try scenario.send(2, .messageReceived, to: acme)
        try scenario.send(.commentCreated, to: globex)
        try scenario.attemptHead(of: crm, answering: .status(200))
        scenario.advance(.seconds(3))
        try scenario.attemptHead(of: chat, answering: .status(500))
        try scenario.failRepeatedly(crm, times: 29, every: .seconds(20))
        scenario.advance(.seconds(7))
        try scenario.failHead(of: chat)  // the 31st: chat is disabled
        try scenario.send(.messageReceived, to: acme)
        try scenario.run(.recordNotification(chat, error: "421 busy"))
        scenario.advance(.seconds(30))
        try scenario.run(.recordNotification(chat, error: nil))
        try scenario.run(.recordWarningNotification(acme, error: "421 busy"))
        try scenario.run(.recordWarningNotification(acme, error: nil))
        try scenario.run(.enableWebhook(chat, recover: true))
        try scenario.attemptHead(of: chat, answering: .status(204))
        let delivered = try #require(scenario.log.last?.record.fact.attemptSucceeded)
        let event = try #require(scenario.log.lazy.compactMap { $0.record.fact.eventReceived }
            .first { $0.deliveries.contains { $0.deliveryID == delivered.deliveryID } })
        try scenario.redeliver(delivered.deliveryID, of: event, to: chat)
        let dropped = try #require(scenario.log.lazy.compactMap { $0.record.fact.deliveryDropped }.first { $0.webhookID == crm })
        let droppedEvent = try #require(scenario.log.lazy.compactMap { $0.record.fact.eventReceived }
            .first { $0.deliveries.contains { $0.deliveryID == dropped.deliveryID } })
        try scenario.run(.recoverDeliveries(crm, [DeliveryReference(
            deliveryID: dropped.deliveryID, eventID: droppedEvent.eventID, eventType: droppedEvent.type,
            eventSequence: try scenario.sequence(of: droppedEvent.eventID))]))
        try scenario.run(.rotateWebhookSecret(chat, overlap: .seconds(3_600)))
        try scenario.attemptOperations(of: acme, answering: .status(200))
        for _ in 0..<4 { try scenario.attemptOperations(of: acme, answering: .error(.timeout)) }
        try scenario.run(.removeOperationsWebhook(acme))
        try scenario.run(.deleteWebhook(spare))
        if case .apiKeyIssued(let issued) = try #require(keyRecords.first).fact {
            try scenario.run(.revokeApiKey(issued.keyID))
        }
        try scenario.run(.changeWorkspace(globex, plan: .advanced, ownerEmail: "ops@globex.example"))
        try scenario.run(.compactHistory(through: scenario.state.lastSequence, before: scenario.now))
        return scenario
    }

    @Test("Folding the log's encoded records into a fresh state gives the live state")
    func rebuildEqualsLive() throws {
        let scenario = try Self.busyDay()
        #expect(Set(scenario.log.map(\.record.fact.typeName)) == RecordCodecTests.designedTypeNames)

        var rebuilt = HookLogState()
        for entry in scenario.log {
            let stored = RecordCodec.encode(entry.record)
            rebuilt.evolve(LoggedRecord(sequence: entry.sequence, record: try RecordCodec.decode(stored)))
        }

        #expect(rebuilt == scenario.state)
        #expect(rebuilt.lastSequence == UInt64(scenario.log.count))
        #expect(scenario.log.map(\.sequence) == Array(1...UInt64(scenario.log.count)), "sequences are gap-free")
    }

    @Test("A random but seeded stream of commands, rebuilt from its log, gives the live state")
    func rebuildEqualsLiveAfterARandomRun() throws {
        var random = SplitMix64(seed: 0xC0FFEE)
        var scenario = Scenario(seed: 0xC0FFEE)
        let workspaces = [try scenario.createWorkspace("A"), try scenario.createWorkspace("B", owner: "b@b.example")]
        var webhooks: [WebhookID] = []
        for workspace in workspaces {
            for url in ["https://one.example/", "https://two.example/"] {
                webhooks.append(try scenario.createWebhook(
                    in: workspace, url: url, events: [EventType.allCases.randomElement(using: &random)!, .contactCreated]))
            }
        }
        for _ in 0..<3_000 {
            scenario.advance(.milliseconds(Int64.random(in: 0...20_000, using: &random)))
            let webhook = webhooks.randomElement(using: &random)!
            switch Int.random(in: 0..<10, using: &random) {
            case 0...2:
                try scenario.send(EventType.allCases.randomElement(using: &random)!, to: workspaces.randomElement(using: &random)!)
            case 3...7 where scenario.state.queues[webhook]?.head != nil:
                let outcome: AttemptReport.Outcome = Bool.random(using: &random)
                    ? .status([200, 204, 301, 404, 500, 503].randomElement(using: &random)!)
                    : .error(AttemptError.allCases.randomElement(using: &random)!)
                try scenario.attemptHead(of: webhook, answering: outcome)
            case 8 where scenario.state.notifications[webhook] != nil:
                try scenario.run(.recordNotification(webhook, error: Bool.random(using: &random) ? nil : "451 later"))
            case 9:
                try scenario.run(.enableWebhook(webhook, recover: Bool.random(using: &random)))
            default:
                break
            }
        }
        let kinds = Set(scenario.log.map(\.record.fact.typeName))
        #expect(kinds.isSuperset(of: ["WebhookDisabled", "WebhookEnabled", "DeliveryDropped", "DeliverySkipped"]))
        #expect(scenario.log.contains { ($0.record.fact.webhookEnabled?.recoveredDeliveries ?? 0) > 0 })

        var rebuilt = HookLogState()
        for entry in scenario.log {
            rebuilt.evolve(LoggedRecord(sequence: entry.sequence, record: try RecordCodec.decode(RecordCodec.encode(entry.record))))
        }

        #expect(rebuilt == scenario.state)
    }

    @Test("An attempt is filed under its webhook, workspace and delivery; its event is only a former key")
    func attemptsAreIndexedUnderTheirDelivery() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let webhook = try scenario.createWebhook(in: workspace)
        let event = try scenario.send(to: workspace)
        let delivery = try #require(event.deliveries.first?.deliveryID)
        let before = scenario.state

        let records = try scenario.failHead(of: webhook)
        let keys = IndexKeys(of: try #require(records.first), in: before)

        #expect(keys.webhooks == [webhook])
        #expect(keys.workspaces == [workspace])
        #expect(keys.deliveries == [delivery])
        #expect(keys.events == [], "the event index lists the records that bring an event, not its attempts")
        #expect(keys.formerEvents == [event.eventID])
    }

    @Test("An event is filed under itself, its workspace, and every webhook and delivery it fans out to")
    func eventsAreIndexedUnderTheirFanout() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let first = try scenario.createWebhook(in: workspace, url: "https://one.example/")
        let second = try scenario.createWebhook(in: workspace, url: "https://two.example/")
        let before = scenario.state

        let records = try scenario.run(.receiveEvent(IncomingEvent(
            workspaceID: workspace, type: .contactCreated, data: Array("{}".utf8))))
        let received = try #require(records.first?.fact.eventReceived)
        let keys = IndexKeys(of: try #require(records.first), in: before)

        #expect(keys.events == [received.eventID])
        #expect(keys.workspaces == [workspace])
        #expect(Set(keys.webhooks) == [first, second])
        #expect(keys.deliveries == received.deliveries.map(\.deliveryID))
    }

    @Test("Every record of a delivery, the skip of a disabled webhook's new event included, names its event as a former key")
    func everyDeliveryRecordNamesItsEvent() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let webhook = try scenario.createWebhook(in: workspace)
        try scenario.failRepeatedly(webhook, times: 31)
        try scenario.send(to: workspace)

        // Replay the log, computing each record's keys from the state just before it, as the store does.
        var state = HookLogState()
        var eventOfDelivery: [DeliveryID: EventID] = [:]
        var checked = 0
        for entry in scenario.log {
            let keys = IndexKeys(of: entry.record, in: state)
            switch entry.record.fact {
            case .eventReceived(let fact):
                for fanout in fact.deliveries { eventOfDelivery[fanout.deliveryID] = fact.eventID }
            case .attemptFailed(let fact as any DeliveryFact), .deliveryDropped(let fact as any DeliveryFact),
                 .deliverySkipped(let fact as any DeliveryFact), .attemptSucceeded(let fact as any DeliveryFact):
                #expect(keys.deliveries == [fact.deliveryID])
                #expect(keys.webhooks == [fact.webhookID])
                #expect(keys.workspaces == [workspace])
                #expect(keys.events == [])
                #expect(keys.formerEvents == [try #require(eventOfDelivery[fact.deliveryID])], "\(entry.record.fact.typeName)")
                checked += 1
            default:
                break
            }
            state.evolve(entry)
        }
        #expect(checked > 31)
    }
}

/// The facts about one delivery of one webhook.
protocol DeliveryFact {
    var deliveryID: DeliveryID { get }
    var webhookID: WebhookID { get }
}

extension AttemptFailed: DeliveryFact {}
extension AttemptSucceeded: DeliveryFact {}
extension DeliveryDropped: DeliveryFact {}
extension DeliverySkipped: DeliveryFact {}
