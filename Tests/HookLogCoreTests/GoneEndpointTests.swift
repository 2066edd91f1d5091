import HookLogCore
import Testing

/// docs/rules.md §2.5: an endpoint that answers `410 Gone` has its webhook disabled at once ("the endpoint answered
/// 410 Gone"): the attempt is recorded as failed and not retried, that delivery and the rest of the queue are
/// skipped (recoverable), and the owner is told as for any disable. Every other status, 429 included, is retried.
@Suite("410 Gone")
struct GoneEndpointTests {
    @Test("a 410 disables the webhook at once and skips its whole queue, the head included")
    func goneDisablesAtOnce() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let webhook = try scenario.createWebhook(in: workspace)
        let queued = try (1...3).compactMap { _ in try scenario.send(to: workspace).deliveries.first?.deliveryID }

        let records = try scenario.attemptHead(of: webhook, answering: .status(410))

        #expect(records.typeNames == ["AttemptFailed", "WebhookDisabled"])
        #expect(records.first?.fact.attemptFailed?.nextAttemptAt == nil, "not retried")
        let disabled = try #require(records.last?.fact.webhookDisabled)
        #expect(disabled.reason == "the endpoint answered 410 Gone")
        #expect(disabled.skippedDeliveries == 3)
        #expect(disabled.errorCount == 1, "the failure counts against the budget like any other")
        #expect(try scenario.webhook(webhook).status == .disabled)
        #expect(try scenario.webhook(webhook).disabledReason == "the endpoint answered 410 Gone")
        #expect(scenario.pendingDeliveries(of: webhook).isEmpty)
        #expect(scenario.skippedDeliveries(of: webhook) == queued)
        #expect(scenario.state.notifications[webhook] != nil, "the owner is to be e-mailed")
        let head = try #require(scenario.history(of: webhook).deliveries.first)
        #expect(head.state == .skipped)
        #expect(head.attempts.map(\.statusCode) == [410])
    }

    @Test("a 410 on a delivery's last attempt skips it, where another failure would drop it, and enabling recovers it")
    func goneOnTheLastAttemptSkips() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let webhook = try scenario.createWebhook(in: workspace)
        let delivery = try #require(try scenario.send(to: workspace).deliveries.first?.deliveryID)
        for wait in [30, 60, 90] {
            try scenario.failHead(of: webhook)
            scenario.advance(.seconds(wait))
        }

        let records = try scenario.attemptHead(of: webhook, answering: .status(410))

        #expect(records.typeNames == ["AttemptFailed", "WebhookDisabled"], "no DeliveryDropped")
        #expect(scenario.skippedDeliveries(of: webhook) == [delivery])
        try scenario.run(.enableWebhook(webhook, recover: true))
        #expect(scenario.pendingDeliveries(of: webhook) == [delivery])
        #expect(try scenario.webhook(webhook).status == .active)
    }

    @Test("any other failing status, 429 included, is retried 30 s later and disables nothing", arguments: [429, 404, 500, 301])
    func otherStatusesAreRetried(status: Int) throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let webhook = try scenario.createWebhook(in: workspace)
        try scenario.send(to: workspace)

        let records = try scenario.attemptHead(of: webhook, answering: .status(status))

        #expect(records.typeNames == ["AttemptFailed"])
        #expect(records.first?.fact.attemptFailed?.nextAttemptAt == scenario.now.adding(.seconds(30)))
        #expect(try scenario.webhook(webhook).status == .active)
    }
}
