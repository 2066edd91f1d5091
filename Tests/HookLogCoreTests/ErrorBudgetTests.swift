import HookLogCore
import Testing

/// docs/rules.md §2.4: "Every failed attempt counts one error for its workspace. When the errors of the trailing
/// 30 minutes exceed 30 (the 31st), the webhook whose attempt failed is disabled. Other webhooks go on; each
/// further failure while the window is over the limit disables its webhook too." And §2.6: re-enabling "starts a
/// fresh error window for the workspace".
@Suite("Shared error budget")
struct ErrorBudgetTests {
    @Test("The 30th failed attempt in the window does not disable; the 31st disables the webhook whose attempt failed, not the other")
    func thirtyFirstErrorInWindowDisablesTheFailingWebhook() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let failing = try scenario.createWebhook(in: workspace, url: "https://failing.example/hook")
        let healthy = try scenario.createWebhook(in: workspace, url: "https://healthy.example/hook")

        let firstThirty = try scenario.failRepeatedly(failing, times: 30)
        #expect(firstThirty.joined().compactMap(\.fact.webhookDisabled).isEmpty)
        #expect(scenario.errorCount(of: workspace) == 30)
        #expect(try scenario.webhook(failing).status == .active)

        scenario.advance(.seconds(10))
        let thirtyFirst = try scenario.failHead(of: failing)

        let disabled = try #require(thirtyFirst.compactMap(\.fact.webhookDisabled).first)
        #expect(disabled.webhookID == failing)
        #expect(disabled.workspaceID == workspace)
        #expect(disabled.errorCount == 31)
        #expect(thirtyFirst.compactMap(\.fact.webhookDisabled).count == 1)
        #expect(try scenario.webhook(failing).status == .disabled)
        #expect(try scenario.webhook(failing).disabledReason == disabled.reason)
        #expect(try scenario.webhook(failing).disabledAt == scenario.now)
        #expect(try scenario.webhook(healthy).status == .active)
    }

    @Test("Two webhooks of one workspace share the budget: 15 failures each, then the 31st disables the one that failed")
    func webhooksOfOneWorkspaceShareTheBudget() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let first = try scenario.createWebhook(in: workspace, url: "https://one.example/hook", events: [.contactCreated])
        let second = try scenario.createWebhook(in: workspace, url: "https://two.example/hook", events: [.messageSent])

        var alternating: [Record] = []
        for _ in 0..<15 {
            alternating += try scenario.failRepeatedly(first, times: 1).joined()
            alternating += try scenario.failRepeatedly(second, times: 1).joined()
        }
        #expect(alternating.compactMap(\.fact.webhookDisabled).isEmpty)
        #expect(scenario.errorCount(of: workspace) == 30)
        #expect(try scenario.webhook(first).status == .active)
        #expect(try scenario.webhook(second).status == .active)

        scenario.advance(.seconds(1))
        let records = try scenario.failHead(of: first)

        #expect(records.compactMap(\.fact.webhookDisabled).map(\.webhookID) == [first])
        #expect(records.compactMap(\.fact.webhookDisabled).first?.errorCount == 31)
        #expect(try scenario.webhook(first).status == .disabled)
        #expect(try scenario.webhook(second).status == .active)
    }

    @Test("Thirty failures of one webhook, then the other webhook's first failure, disable only the other")
    func theThirtyFirstFailureOfAnotherWebhookDisablesThatWebhook() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let noisy = try scenario.createWebhook(in: workspace, url: "https://noisy.example/hook")
        let quiet = try scenario.createWebhook(in: workspace, url: "https://quiet.example/hook", events: [.messageSent])

        try scenario.failRepeatedly(noisy, times: 30)
        try scenario.send(.messageSent, to: workspace)
        let records = try scenario.failHead(of: quiet)

        #expect(records.compactMap(\.fact.webhookDisabled).map(\.webhookID) == [quiet])
        #expect(try scenario.webhook(quiet).status == .disabled)
        #expect(try scenario.webhook(noisy).status == .active)
    }

    @Test("Errors older than 30 minutes no longer count: 31 failures spread over more than 30 minutes never disable")
    func errorsOlderThanTheWindowNoLongerCount() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let webhook = try scenario.createWebhook(in: workspace)

        // 61 s apart: the 31st comes 30 minutes 30 s after the first.
        let outcomes = try scenario.failRepeatedly(webhook, times: 31, every: .seconds(61))

        #expect(outcomes.joined().compactMap(\.fact.webhookDisabled).isEmpty)
        #expect(try scenario.webhook(webhook).status == .active)
        #expect(scenario.errorCount(of: workspace) == 30)
    }

    @Test("The same 31 failures within 30 minutes do disable")
    func thirtyOneFailuresWithinTheWindowDisable() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let webhook = try scenario.createWebhook(in: workspace)

        // 59 s apart: the 31st comes 29 minutes 30 s after the first.
        let outcomes = try scenario.failRepeatedly(webhook, times: 31, every: .seconds(59))

        let disabledAt = outcomes.firstIndex { !$0.compactMap(\.fact.webhookDisabled).isEmpty }
        #expect(disabledAt == 30, "the 31st failure (index 30) disables")
        #expect(try scenario.webhook(webhook).status == .disabled)
    }

    @Test("Another workspace's failures never count against this workspace's budget")
    func anotherWorkspacesFailuresNeverCount() throws {
        var scenario = Scenario()
        let acme = try scenario.createWorkspace("Acme", owner: "ops@acme.example")
        let globex = try scenario.createWorkspace("Globex", owner: "ops@globex.example")
        let acmeHook = try scenario.createWebhook(in: acme, url: "https://acme.example/hook")
        let globexHook = try scenario.createWebhook(in: globex, url: "https://globex.example/hook")

        let outcomes = try scenario.failRepeatedly(acmeHook, times: 30)
            + scenario.failRepeatedly(globexHook, times: 30)

        #expect(outcomes.joined().compactMap(\.fact.webhookDisabled).isEmpty)
        #expect(scenario.errorCount(of: acme) == 30)
        #expect(scenario.errorCount(of: globex) == 30)
        #expect(try scenario.webhook(acmeHook).status == .active)
        #expect(try scenario.webhook(globexHook).status == .active)

        let acmeThirtyFirst = try scenario.failHead(of: acmeHook)
        #expect(acmeThirtyFirst.compactMap(\.fact.webhookDisabled).map(\.webhookID) == [acmeHook])
        #expect(try scenario.webhook(globexHook).status == .active)
    }

    @Test("Each further failure while the window is over the limit disables its own webhook too")
    func eachFurtherFailureOverTheLimitDisablesItsWebhook() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let first = try scenario.createWebhook(in: workspace, url: "https://one.example/hook")
        let second = try scenario.createWebhook(in: workspace, url: "https://two.example/hook", events: [.messageSent])
        let third = try scenario.createWebhook(in: workspace, url: "https://three.example/hook", events: [.commentCreated])
        try scenario.send(.messageSent, to: workspace)
        try scenario.send(.commentCreated, to: workspace)

        let outcomes = try scenario.failRepeatedly(first, times: 31)
        #expect(outcomes.last?.compactMap(\.fact.webhookDisabled).map(\.webhookID) == [first])
        #expect(try scenario.webhook(second).status == .active)
        #expect(try scenario.webhook(third).status == .active)

        scenario.advance(.seconds(5))
        let secondFails = try scenario.failHead(of: second)
        #expect(secondFails.compactMap(\.fact.webhookDisabled).map(\.webhookID) == [second])
        #expect(secondFails.compactMap(\.fact.webhookDisabled).first?.errorCount == 32)
        #expect(try scenario.webhook(third).status == .active)

        scenario.advance(.seconds(5))
        let thirdFails = try scenario.failHead(of: third)
        #expect(thirdFails.compactMap(\.fact.webhookDisabled).map(\.webhookID) == [third])
        #expect(thirdFails.compactMap(\.fact.webhookDisabled).first?.errorCount == 33)
        #expect(try scenario.webhook(first).status == .disabled)
        #expect(try scenario.webhook(second).status == .disabled)
    }

    @Test("Enabling starts a fresh window: after enable, 30 more failures don't disable, the 31st does")
    func enablingStartsAFreshErrorWindow() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let webhook = try scenario.createWebhook(in: workspace)
        try scenario.failRepeatedly(webhook, times: 31)
        #expect(try scenario.webhook(webhook).status == .disabled)

        scenario.advance(.seconds(60))
        try scenario.run(.enableWebhook(webhook, recover: false))
        #expect(try scenario.webhook(webhook).status == .active)
        #expect(scenario.errorCount(of: workspace) == 0)

        scenario.advance(.seconds(10))
        let thirtyMore = try scenario.failRepeatedly(webhook, times: 30)
        #expect(thirtyMore.joined().compactMap(\.fact.webhookDisabled).isEmpty)
        #expect(try scenario.webhook(webhook).status == .active)
        #expect(scenario.errorCount(of: workspace) == 30)

        scenario.advance(.seconds(10))
        let thirtyFirst = try scenario.failHead(of: webhook)
        #expect(thirtyFirst.compactMap(\.fact.webhookDisabled).map(\.webhookID) == [webhook])
        #expect(thirtyFirst.compactMap(\.fact.webhookDisabled).first?.errorCount == 31)
    }
}
