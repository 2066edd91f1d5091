import Foundation
import HookLogCore
import Testing

/// docs/rules.md §2.4, the early warning: "when a workspace's error window reaches `--warn-at` (20 of the limit 30),
/// the owner is sent one warning e-mail per crossing; the warning is armed again once the window has fallen below the
/// threshold, or when a webhook of the workspace is enabled." The disable at the 31st failure is unchanged.
@Suite("Early warning of the error budget")
struct EarlyWarningTests {
    /// The warnings a run of attempts recorded.
    static func warnings(_ outcomes: [[Record]]) -> [WarningThresholdReached] {
        outcomes.joined().compactMap(\.fact.warningThresholdReached)
    }

    @Test("The 19th failure in the window warns no one; the 20th owes the owner one warning e-mail, with the count and the limit")
    func theTwentiethFailureOwesAWarning() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace(owner: "alice@acme.example")
        let webhook = try scenario.createWebhook(in: workspace)

        let nineteen = try scenario.failRepeatedly(webhook, times: 19)
        #expect(Self.warnings(nineteen).isEmpty)
        #expect(scenario.state.warningNotifications.isEmpty)
        #expect(scenario.state.budgetWarning(of: workspace, at: scenario.now) == nil)

        scenario.advance(.seconds(10))
        let twentieth = try scenario.failHead(of: webhook)
        #expect(twentieth.typeNames == ["AttemptFailed", "DeliveryDropped", "WarningThresholdReached"],
                "the 20th failure is the fifth delivery's last attempt")
        let warning = try #require(twentieth.last?.fact.warningThresholdReached)
        #expect(warning == WarningThresholdReached(workspaceID: workspace, errorCount: 20, warnAt: 20, errorLimit: 30))

        let pending = try #require(scenario.state.warningNotifications[workspace])
        #expect(pending.recipient == "alice@acme.example")
        #expect(pending.warning.at == scenario.now)
        #expect(pending.warning.errorCount == 20)
        #expect(pending.nextAttemptAt == scenario.now, "the first try is due at once")
        #expect(scenario.state.due(.warning(workspace)) == scenario.now)
        #expect(scenario.state.budgetWarning(of: workspace, at: scenario.now)?.errorCount == 20)
        #expect(try scenario.webhook(webhook).status == .active, "a warning disables nothing")
    }

    @Test("Only one warning per crossing: failures 21 to 30 owe none, the 31st still disables the webhook")
    func oneWarningPerCrossingAndTheDisableStillComes() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let first = try scenario.createWebhook(in: workspace, url: "https://one.example/hook")
        let second = try scenario.createWebhook(in: workspace, url: "https://two.example/hook", events: [.messageSent])

        let firstTwenty = try scenario.failRepeatedly(first, times: 20)
        #expect(Self.warnings(firstTwenty).map(\.errorCount) == [20])
        let tenMore = try scenario.failRepeatedly(second, times: 10)
        #expect(Self.warnings(tenMore).isEmpty, "another webhook's failures count in the same crossing")
        #expect(scenario.errorCount(of: workspace) == 30)

        scenario.advance(.seconds(10))
        let thirtyFirst = try #require(try scenario.failRepeatedly(first, times: 1).first)
        #expect(thirtyFirst.typeNames == ["AttemptFailed", "WebhookDisabled"])
        #expect(try scenario.webhook(first).status == .disabled)
        #expect(scenario.state.notifications[first] != nil, "the disable e-mail is owed as before")
    }

    @Test("The warning is armed again when the window falls below the threshold: a 20th failure in the window warns again")
    func theWindowFallingBelowReArms() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let webhook = try scenario.createWebhook(in: workspace)

        // A minute apart: the 20th comes at 19 minutes and warns.
        let twenty = try scenario.failRepeatedly(webhook, times: 20, every: .seconds(60))
        #expect(Self.warnings(twenty).count == 1)

        // 30 minutes after the first failure it leaves the window: 19 remain, below the threshold.
        scenario.advance(.seconds(11 * 60 + 1))
        #expect(scenario.errorCount(of: workspace) == 19)
        #expect(scenario.state.budgetWarning(of: workspace, at: scenario.now) == nil, "armed again")

        let backAtTwenty = try #require(try scenario.failRepeatedly(webhook, times: 1).first)
        #expect(backAtTwenty.compactMap(\.fact.warningThresholdReached).map(\.errorCount) == [20])
        #expect(scenario.state.warningNotifications[workspace]?.warning.at == scenario.now)
    }

    @Test("Thirty minutes without failures re-arm the warning too (the manual clock): the next 20 failures warn again")
    func aQuietWindowReArms() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let webhook = try scenario.createWebhook(in: workspace)
        #expect(Self.warnings(try scenario.failRepeatedly(webhook, times: 25)).count == 1)
        #expect(scenario.state.budgetWarning(of: workspace, at: scenario.now) != nil)

        scenario.advance(.seconds(30 * 60))
        #expect(scenario.errorCount(of: workspace) == 0)
        #expect(scenario.state.budgetWarning(of: workspace, at: scenario.now) == nil)

        let again = try scenario.failRepeatedly(webhook, times: 20)
        #expect(Self.warnings(again).map(\.errorCount) == [20])
        #expect(again.last?.compactMap(\.fact.warningThresholdReached).count == 1, "at the 20th, not before")
    }

    @Test("A window that stays at or above the threshold never re-arms: failures dropping out and coming in warn no more")
    func aWindowThatStaysAboveDoesNotReArm() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let webhook = try scenario.createWebhook(in: workspace)

        // 25 failures a minute apart, then 30 more as the oldest drop out: the window holds 25 throughout.
        let outcomes = try scenario.failRepeatedly(webhook, times: 55, every: .seconds(72))
        #expect(Self.warnings(outcomes).count == 1)
        #expect(try scenario.webhook(webhook).status == .active)
    }

    @Test("Enabling a webhook of the workspace re-arms the warning with the fresh window")
    func enablingReArms() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let webhook = try scenario.createWebhook(in: workspace)
        let outcomes = try scenario.failRepeatedly(webhook, times: 31)
        #expect(Self.warnings(outcomes).count == 1)
        #expect(try scenario.webhook(webhook).status == .disabled)

        scenario.advance(.seconds(60))
        try scenario.run(.enableWebhook(webhook, recover: false))
        #expect(scenario.state.budgetWarnings[workspace] == nil)

        scenario.advance(.seconds(10))
        let again = try scenario.failRepeatedly(webhook, times: 20)
        #expect(Self.warnings(again).map(\.errorCount) == [20])
    }

    @Test("The warning e-mail is recorded and retried like the disable e-mail until the mail server takes it")
    func theWarningEmailIsRetriedUntilAccepted() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace(owner: "alice@acme.example")
        let webhook = try scenario.createWebhook(in: workspace)
        try scenario.failRepeatedly(webhook, times: 20)

        scenario.advance(.seconds(1))
        let firstTry = try scenario.run(.recordWarningNotification(workspace, error: "421 try again later"))
        let failed = try #require(firstTry.first?.fact.warningNotificationFailed)
        #expect(firstTry.typeNames == ["WarningNotificationFailed"])
        #expect(failed.attempt == 1)
        #expect(failed.recipient == "alice@acme.example")
        #expect(failed.nextAttemptAt == scenario.now.adding(.seconds(30)))
        #expect(scenario.state.due(.warning(workspace)) == scenario.now.adding(.seconds(30)))

        scenario.advance(.seconds(30))
        let secondTry = try scenario.run(.recordWarningNotification(workspace, error: "connection refused"))
        #expect(secondTry.first?.fact.warningNotificationFailed?.nextAttemptAt == scenario.now.adding(.seconds(60)))

        scenario.advance(.seconds(60))
        let thirdTry = try scenario.run(.recordWarningNotification(workspace, error: nil))
        #expect(thirdTry.first?.fact.warningNotificationSent
            == WarningNotificationSent(workspaceID: workspace, recipient: "alice@acme.example", attempt: 3))
        #expect(scenario.state.warningNotifications[workspace] == nil)
        #expect(scenario.state.due(.warning(workspace)) == nil)
        #expect(throws: DecisionError.self) { try scenario.run(.recordWarningNotification(workspace, error: nil)) }
        #expect(scenario.state.errorBudget(of: workspace, at: scenario.now).warningSent)
    }

    @Test("Armed and disarmed state and the owed e-mail come back from the log and survive a JSON checkpoint, old ones included")
    func theWarningStateIsAProjectionOfTheLog() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let webhook = try scenario.createWebhook(in: workspace)
        try scenario.failRepeatedly(webhook, times: 22)

        var rebuilt = HookLogState(policy: scenario.state.policy)
        rebuilt.evolve(scenario.log)
        #expect(rebuilt.budgetWarnings == scenario.state.budgetWarnings)
        #expect(rebuilt.warningNotifications == scenario.state.warningNotifications)
        #expect(rebuilt.warningNotifications[workspace] != nil)

        let json = try JSONEncoder().encode(scenario.state)
        #expect(try JSONDecoder().decode(HookLogState.self, from: json) == scenario.state)

        var old = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        old["budgetWarnings"] = nil
        old["warningNotifications"] = nil
        let fromOldCheckpoint = try JSONDecoder().decode(HookLogState.self, from: try JSONSerialization.data(withJSONObject: old))
        #expect(fromOldCheckpoint.budgetWarnings.isEmpty)
        #expect(fromOldCheckpoint.warningNotifications.isEmpty)
        #expect(fromOldCheckpoint.workspaces == scenario.state.workspaces)
    }

    @Test("warn-at must come before the limit: below 1, at or above the limit, or absent, no warning is ever owed",
          arguments: [nil, 0, -3, 30, 31] as [Int?])
    func aThresholdNotBelowTheLimitWarnsNoOne(warnAt: Int?) throws {
        var policy = DeliveryPolicy.standard
        policy.warnAt = warnAt
        #expect(policy.warningThreshold == nil)
        var scenario = Scenario(policy: policy)
        let workspace = try scenario.createWorkspace()
        let webhook = try scenario.createWebhook(in: workspace)
        let outcomes = try scenario.failRepeatedly(webhook, times: 31)
        #expect(Self.warnings(outcomes).isEmpty)
        #expect(try scenario.webhook(webhook).status == .disabled)
    }

    @Test("The default threshold is two thirds of the limit (20 of 30), and none for a limit of 1")
    func theDefaultThreshold() {
        #expect(DeliveryPolicy.standard.warningThreshold == 20)
        #expect(DeliveryPolicy.defaultWarnAt(errorLimit: 30) == 20)
        #expect(DeliveryPolicy.defaultWarnAt(errorLimit: 3) == 2)
        #expect(DeliveryPolicy.defaultWarnAt(errorLimit: 1) == nil)
    }
}

extension Fact {
    var warningThresholdReached: WarningThresholdReached? {
        if case .warningThresholdReached(let fact) = self { fact } else { nil }
    }
    var warningNotificationSent: WarningNotificationSent? {
        if case .warningNotificationSent(let fact) = self { fact } else { nil }
    }
    var warningNotificationFailed: WarningNotificationFailed? {
        if case .warningNotificationFailed(let fact) = self { fact } else { nil }
    }
}
