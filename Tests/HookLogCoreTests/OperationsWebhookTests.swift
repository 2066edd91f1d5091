import Foundation
import HookLogCore
import Testing

/// docs/rules.md §2.8, the operations webhook: HookLog POSTs a workspace's own events (disables, enables, rotations,
/// drops, warnings) to one URL of the workspace's, first in, first out, retried 30/60/90 s after failures and then
/// dropped, outside the error budget.
@Suite("Operations webhook")
struct OperationsWebhookTests {
    static let operationsURL = "https://ops.acme.example/hooklog"

    @Test("A disable queues a webhook.disabled message for a workspace with an operations webhook, none without")
    func aDisableQueuesAMessage() throws {
        var (scenario, workspace, webhook) = try Scenario.oneStrike(queueWindow: nil)
        let other = try scenario.createWorkspace("Other")
        let otherWebhook = try scenario.createWebhook(in: other)
        try scenario.run(.setOperationsWebhook(workspace, url: Self.operationsURL))

        let disable = try scenario.failRepeatedly(webhook, times: 2).last ?? []
        #expect(disable.typeNames == ["AttemptFailed", "WebhookDisabled"])
        let disabledTime = scenario.now
        try scenario.failRepeatedly(otherWebhook, times: 2)
        #expect(try scenario.webhook(otherWebhook).status == .disabled)

        let operations = try #require(scenario.state.operationsWebhooks[workspace])
        #expect(operations.messages.map(\.type) == [.webhookDisabled])
        let message = try #require(operations.head)
        let disabledAt = try #require(scenario.log.last { $0.record.fact.webhookDisabled?.webhookID == webhook })
        #expect(message.id == "op_\(disabledAt.sequence)", "the id names the record it tells of")
        #expect(message.nextAttemptAt == disabledTime, "due at once")
        let body = try JSONSerialization.jsonObject(with: Data(message.body.utf8)) as? [String: Any]
        #expect(body?["type"] as? String == "webhook.disabled")
        #expect(body?["workspace_id"] as? String == workspace.rawValue)
        let data = try #require(body?["data"] as? [String: Any])
        #expect(data["webhook_id"] as? String == webhook.rawValue)
        #expect(data["error_count"] as? Int == 2)
        #expect(scenario.state.due(.operations(workspace)) == disabledTime)
        #expect(scenario.state.operationsWebhooks[other] == nil, "a workspace without one queues nothing")
    }

    @Test("A failing operations endpoint is retried at +30, +60 and +90 s, then the message is dropped; nothing counts against the budget")
    func failuresAreRetriedThenDroppedOutsideTheBudget() throws {
        var (scenario, workspace, webhook) = try Scenario.oneStrike(queueWindow: nil)
        try scenario.run(.setOperationsWebhook(workspace, url: Self.operationsURL))
        let secondWebhook = try scenario.createWebhook(in: workspace, url: "https://two.acme.example/in")
        try scenario.run(.rotateWebhookSecret(webhook, overlap: .zero))
        let errorsBefore = scenario.errorCount(of: workspace)

        var retries: [Timestamp?] = []
        for delay in [0, 30, 60, 90] {
            scenario.advance(.seconds(Int64(delay)))
            #expect(scenario.state.due(.operations(workspace)) == scenario.now)
            let records = try scenario.attemptOperations(of: workspace, answering: .status(500))
            retries.append(records.first?.fact.operationsAttemptFailed?.nextAttemptAt)
            if delay == 90 {
                #expect(records.typeNames == ["OperationsAttemptFailed", "OperationsMessageDropped"])
            }
        }
        let start = Scenario.start
        #expect(retries.map { $0.map { ($0.milliseconds - start.milliseconds) / 1000 } } == [30, 90, 180, nil])
        #expect(scenario.state.operationsWebhooks[workspace]?.messages.isEmpty == true)
        #expect(scenario.state.operationsWebhooks[workspace]?.droppedMessages == 1)
        #expect(scenario.errorCount(of: workspace) == errorsBefore, "no error-window entry, under a budget of one")
        #expect(try scenario.webhook(webhook).status == .active)
        #expect(try scenario.webhook(secondWebhook).status == .active, "nothing is disabled")
        #expect(scenario.state.warningNotifications.isEmpty)
    }

    @Test("A 410 Gone from the operations endpoint is retried like any failure and disables nothing")
    func goneIsRetried() throws {
        var (scenario, workspace, webhook) = try Scenario.oneStrike(queueWindow: nil)
        try scenario.run(.setOperationsWebhook(workspace, url: Self.operationsURL))
        try scenario.run(.rotateWebhookSecret(webhook, overlap: .zero))
        let records = try scenario.attemptOperations(of: workspace, answering: .status(410))
        #expect(records.typeNames == ["OperationsAttemptFailed"])
        #expect(scenario.state.operationsWebhooks[workspace]?.head?.attempts == 1)
        #expect(try scenario.webhook(webhook).status == .active)
    }

    @Test("Messages go first in, first out, one at a time: only the head is attempted")
    func messagesAreFirstInFirstOut() throws {
        var (scenario, workspace, webhook) = try Scenario.oneStrike(queueWindow: nil)
        try scenario.run(.setOperationsWebhook(workspace, url: Self.operationsURL))
        try scenario.failRepeatedly(webhook, times: 2)
        try scenario.run(.enableWebhook(webhook, recover: false))
        try scenario.run(.rotateWebhookSecret(webhook, overlap: .seconds(60)))
        let messages = Array(try #require(scenario.state.operationsWebhooks[workspace]?.messages))
        #expect(messages.map(\.type) == [.webhookDisabled, .webhookEnabled, .webhookSecretRotated])

        let second = messages[1]
        #expect(throws: DecisionError.self, "a message behind the head is not attempted") {
            try scenario.run(.recordOperationsAttempt(OperationsAttemptReport(
                workspaceID: workspace, messageID: second.id, startedAt: scenario.now, durationMilliseconds: 5,
                outcome: .status(200))))
        }
        var sent: [OperationsEventType] = []
        while let head = scenario.state.operationsWebhooks[workspace]?.head {
            try scenario.attemptOperations(of: workspace, answering: .status(204))
            sent.append(head.type)
        }
        #expect(sent == [.webhookDisabled, .webhookEnabled, .webhookSecretRotated])
        #expect(scenario.state.due(.operations(workspace)) == nil)
    }

    @Test("A dropped delivery queues delivery.dropped with its event and last error")
    func aDropTellsItsLastError() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let webhook = try scenario.createWebhook(in: workspace)
        try scenario.run(.setOperationsWebhook(workspace, url: Self.operationsURL))
        let event = try scenario.send(to: workspace)
        try scenario.failRepeatedly(webhook, times: 4, every: .seconds(90))

        let message = try #require(scenario.state.operationsWebhooks[workspace]?.head)
        #expect(message.type == .deliveryDropped)
        let body = try JSONSerialization.jsonObject(with: Data(message.body.utf8)) as? [String: Any]
        let data = try #require(body?["data"] as? [String: Any])
        #expect(data["event_id"] as? String == event.eventID.rawValue)
        #expect(data["webhook_id"] as? String == webhook.rawValue)
        #expect(data["attempts"] as? Int == 4)
        let lastError = try #require(data["last_error"] as? [String: Any])
        #expect(lastError["status_code"] as? Int == 500)
        #expect(lastError["number"] as? Int == 4)
    }

    @Test("Removing the operations webhook discards its queue, and the record says how many")
    func removalDiscardsTheQueue() throws {
        var (scenario, workspace, webhook) = try Scenario.oneStrike(queueWindow: nil)
        try scenario.run(.setOperationsWebhook(workspace, url: Self.operationsURL))
        try scenario.failRepeatedly(webhook, times: 2)
        try scenario.run(.enableWebhook(webhook, recover: false))

        let removed = try scenario.run(.removeOperationsWebhook(workspace))
        #expect(removed.first?.fact == .operationsWebhookRemoved(
            OperationsWebhookRemoved(workspaceID: workspace, discardedMessages: 2)))
        #expect(scenario.state.operationsWebhooks[workspace] == nil)
        #expect(scenario.state.due(.operations(workspace)) == nil)
        try scenario.run(.rotateWebhookSecret(webhook, overlap: .zero))
        #expect(scenario.state.operationsWebhooks[workspace] == nil, "nothing is queued once removed")
        #expect(throws: DecisionError.self) { try scenario.run(.removeOperationsWebhook(workspace)) }
    }

    @Test("A later PUT changes the URL and keeps the secret; the same URL records nothing; a bad URL is refused")
    func settingAgainKeepsTheSecret() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        try scenario.run(.setOperationsWebhook(workspace, url: Self.operationsURL))
        let secret = try #require(scenario.state.operationsWebhooks[workspace]?.secret)
        #expect(secret.hasPrefix("whsec_"))
        #expect(try scenario.run(.setOperationsWebhook(workspace, url: Self.operationsURL)).isEmpty)
        try scenario.run(.setOperationsWebhook(workspace, url: "https://elsewhere.example/ops"))
        #expect(scenario.state.operationsWebhooks[workspace]?.url == "https://elsewhere.example/ops")
        #expect(scenario.state.operationsWebhooks[workspace]?.secret == secret)
        #expect(throws: DecisionError.self) { try scenario.run(.setOperationsWebhook(workspace, url: "ftp://x.example")) }
        let starter = try scenario.createWorkspace("Small", plan: .growth)
        #expect(throws: DecisionError.self) { try scenario.run(.setOperationsWebhook(starter, url: Self.operationsURL)) }
    }

    @Test("A full queue drops the oldest message waiting behind the head, with a record, and keeps 1,000")
    func aFullQueueDropsTheOldestWaiting() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let webhook = try scenario.createWebhook(in: workspace)
        try scenario.run(.setOperationsWebhook(workspace, url: Self.operationsURL))
        for _ in 0..<OperationsWebhook.maxQueuedMessages {
            try scenario.run(.rotateWebhookSecret(webhook, overlap: .zero))
        }
        let full = Array(try #require(scenario.state.operationsWebhooks[workspace]?.messages))
        #expect(full.count == OperationsWebhook.maxQueuedMessages)

        let records = try scenario.run(.rotateWebhookSecret(webhook, overlap: .zero))
        #expect(records.typeNames == ["OperationsMessageDropped", "WebhookSecretRotated"])
        #expect(records.first?.fact.operationsMessageDropped?.messageID == full[1].id)
        #expect(records.first?.fact.operationsMessageDropped?.reason == .queueFull)
        let after = Array(try #require(scenario.state.operationsWebhooks[workspace]?.messages))
        #expect(after.count == OperationsWebhook.maxQueuedMessages)
        #expect(after.first?.id == full[0].id, "the head, which may be in flight, stays")
        #expect(after.last?.id == "op_\(scenario.state.lastSequence)")
    }

    @Test("Folding the log again gives the same messages, byte for byte")
    func aRebuildGivesTheSameBodies() throws {
        var (scenario, workspace, webhook) = try Scenario.oneStrike(queueWindow: nil)
        try scenario.run(.setOperationsWebhook(workspace, url: Self.operationsURL))
        try scenario.failRepeatedly(webhook, times: 2)
        try scenario.attemptOperations(of: workspace, answering: .error(.timeout))
        var rebuilt = HookLogState(policy: scenario.state.policy, queueWindow: nil)
        rebuilt.evolve(scenario.log)
        #expect(rebuilt.operationsWebhooks == scenario.state.operationsWebhooks)
        #expect(rebuilt.differences(from: scenario.state).isEmpty)
    }

    @Test("A checkpoint written before operations webhooks decodes with none; one with them round-trips")
    func oldCheckpointsDecode() throws {
        var (scenario, workspace, webhook) = try Scenario.oneStrike(queueWindow: nil)
        try scenario.run(.setOperationsWebhook(workspace, url: Self.operationsURL))
        try scenario.failRepeatedly(webhook, times: 2)
        let encoded = try JSONEncoder().encode(scenario.state)
        #expect(try JSONDecoder().decode(HookLogState.self, from: encoded) == scenario.state)

        var fields = try #require(try JSONSerialization.jsonObject(with: encoded) as? [String: Any])
        #expect(fields.removeValue(forKey: "operationsWebhooks") != nil)
        let old = try JSONDecoder().decode(HookLogState.self, from: try JSONSerialization.data(withJSONObject: fields))
        #expect(old.operationsWebhooks.isEmpty)
        #expect(old.webhooks == scenario.state.webhooks)
    }

    @Test("A new URL gives the message at the head a fresh start: the old URL's attempts and retry delay do not carry over")
    func aNewURLRestartsTheHead() throws {
        var (scenario, workspace, webhook) = try Scenario.oneStrike(queueWindow: nil)
        try scenario.run(.setOperationsWebhook(workspace, url: Self.operationsURL))
        try scenario.run(.rotateWebhookSecret(webhook, overlap: .zero))
        for delay in [0, 30, 60] {
            scenario.advance(.seconds(Int64(delay)))
            try scenario.attemptOperations(of: workspace, answering: .status(500))
        }
        #expect(scenario.state.operationsWebhooks[workspace]?.head?.attempts == 3)

        scenario.advance(.seconds(5))
        try scenario.run(.setOperationsWebhook(workspace, url: Self.operationsURL))
        #expect(scenario.state.operationsWebhooks[workspace]?.head?.attempts == 3, "the same URL changes nothing")
        try scenario.run(.setOperationsWebhook(workspace, url: "https://ops2.acme.example/hooklog"))
        let head = try #require(scenario.state.operationsWebhooks[workspace]?.head)
        #expect(head.attempts == 0 && head.nextAttemptAt == scenario.now)
        let records = try scenario.attemptOperations(of: workspace, answering: .status(500))
        #expect(records.typeNames == ["OperationsAttemptFailed"], "a failure at the new URL is its first, not its last")
    }

    @Test("A rotation and the webhook's deletion committed together still get the rotation's message planned")
    func aMessageOfADeletedWebhookIsPlanned() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let webhook = try scenario.createWebhook(in: workspace)
        try scenario.run(.setOperationsWebhook(workspace, url: Self.operationsURL))
        var planner = DeliveryPlanner(concurrency: 8)
        planner.start(with: scenario.state, now: scenario.now)
        let before = scenario.log.count

        try scenario.run(.rotateWebhookSecret(webhook, overlap: .zero))
        try scenario.run(.deleteWebhook(webhook))
        #expect(scenario.state.operationsWebhooks[workspace]?.messages.map(\.type) == [.webhookSecretRotated])
        planner.committed(Array(scenario.log[before...]), state: scenario.state, now: scenario.now)
        #expect(planner.jobsToStart(now: scenario.now) == [.operations(workspace)])
    }
}

extension Scenario {
    /// The head of the workspace's operations queue answers with `outcome`; the attempt started at `now`.
    @discardableResult
    mutating func attemptOperations(of workspace: WorkspaceID, answering outcome: AttemptReport.Outcome) throws -> [Record] {
        let head = try #require(state.operationsWebhooks[workspace]?.head, "nothing is queued for \(workspace)")
        return try run(.recordOperationsAttempt(OperationsAttemptReport(
            workspaceID: workspace, messageID: head.id, startedAt: now, durationMilliseconds: 80, outcome: outcome,
            responseSnippet: "answer \(head.attempts + 1)")))
    }
}

extension Fact {
    var operationsAttemptFailed: OperationsAttemptFailed? {
        if case .operationsAttemptFailed(let fact) = self { fact } else { nil }
    }
    var operationsMessageDropped: OperationsMessageDropped? {
        if case .operationsMessageDropped(let fact) = self { fact } else { nil }
    }
}
