import HookLogCore
import Testing

/// docs/rules.md §3.7: a cut of the log's history expires the skipped deliveries of webhooks disabled for longer than
/// the retention, and folds the same whatever the queue window.
@Suite("Cutting the history")
struct HistoryCutTests {
    /// A webhook disabled with seven deliveries queued, then two more events skipped an hour later, cut between the
    /// two: what stays skipped, with a queue window of `window`.
    static func cutBetweenSkips(window: Int?) throws -> (scenario: Scenario, webhook: WebhookID, late: [DeliveryID]) {
        var (scenario, workspace, webhook) = try Scenario.oneStrike(queueWindow: window)
        try scenario.send(7, to: workspace)
        try scenario.failHead(of: webhook)
        #expect(try scenario.failHead(of: webhook).last?.fact.webhookDisabled?.skippedDeliveries == 7)
        let early = scenario.state.lastSequence
        scenario.advance(.seconds(3_600))
        let late = try (1...2).compactMap { _ in try scenario.send(to: workspace).deliveries.first?.deliveryID }
        try scenario.run(.compactHistory(through: early, before: Scenario.start.adding(.seconds(1_800))))
        return (scenario, webhook, late)
    }

    @Test("the skipped deliveries older than the cut expire, those beyond a window of two as well as a whole queue's", arguments: [2, nil])
    func olderSkipsExpire(window: Int?) throws {
        var (scenario, webhook, late) = try Self.cutBetweenSkips(window: window)
        let cut = try #require(scenario.log.last?.record.fact.historyCompacted)
        #expect(cut.expiredBeyondWindows.map(\.count) == (window == nil ? [] : [5]))

        #expect(scenario.skippedDeliveries(of: webhook) == late, "the seven skipped before the cut expired")
        try scenario.run(.enableWebhook(webhook, recover: true))
        #expect(scenario.pendingDeliveries(of: webhook) == late)
    }

    @Test("a window of two and a whole queue come to the same state once their queues are read whole")
    func windowsAgree() throws {
        let windowed = try Self.cutBetweenSkips(window: 2).scenario
        let whole = try Self.cutBetweenSkips(window: nil).scenario
        #expect(windowed.log.dropLast() == whole.log.dropLast(), "both decide the same records up to the cut")
        #expect(windowed.log.last?.record.fact.historyCompacted?.through == whole.log.last?.record.fact.historyCompacted?.through)
        #expect(windowed.state.wholeQueues(reading: RecordedLog(records: windowed.log))
            == whole.state.wholeQueues(reading: RecordedLog(records: whole.log)))
    }

    @Test("a webhook disabled after the cut-off keeps everything it skipped, and the cut says so")
    func recentDisablesKeepTheirSkips() throws {
        var (scenario, workspace, webhook) = try Scenario.oneStrike(queueWindow: 2)
        try scenario.send(5, to: workspace)
        try scenario.failHead(of: webhook)
        try scenario.failHead(of: webhook)
        let skipped = scenario.skippedDeliveries(of: webhook)
        try scenario.run(.compactHistory(through: scenario.state.lastSequence, before: Scenario.start.adding(.seconds(-1))))
        #expect(scenario.skippedDeliveries(of: webhook) == skipped)
        #expect(skipped.count == 5)
        #expect(throws: DecisionError.self) {
            try scenario.run(.compactHistory(through: scenario.state.lastSequence + 1, before: scenario.now))
        }
    }
}
