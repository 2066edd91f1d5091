import HookLogCore
import Testing

/// docs/rules.md §2.5: on disable "the workspace owner is sent an e-mail … The notification is itself recorded and
/// retried until the mail server accepts it."
@Suite("The disable e-mail")
struct NotificationTests {
    @Test("Disabling a webhook leaves an e-mail to its workspace owner waiting to be sent; failures back off; a success clears it")
    func theDisableEmailIsRetriedUntilAccepted() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace(owner: "alice@acme.example")
        let webhook = try scenario.createWebhook(in: workspace)
        #expect(scenario.state.notifications.isEmpty)

        try scenario.failRepeatedly(webhook, times: 31)
        let disabledAt = scenario.now
        let pending = try #require(scenario.state.notifications[webhook])
        #expect(pending.recipient == "alice@acme.example")
        #expect(pending.disabledAt == disabledAt)
        #expect(pending.failedAttempts == 0)
        #expect(pending.nextAttemptAt == disabledAt, "the first try is due at once")

        scenario.advance(.seconds(2))
        let firstTry = try scenario.run(.recordNotification(webhook, error: "421 4.7.0 try again later"))
        #expect(firstTry.typeNames == ["NotificationFailed"])
        let failed = try #require(firstTry.first?.fact.notificationFailed)
        #expect(failed.attempt == 1)
        #expect(failed.recipient == "alice@acme.example")
        #expect(failed.error == "421 4.7.0 try again later")
        #expect(failed.nextAttemptAt == scenario.now.adding(.seconds(30)))
        #expect(scenario.state.notifications[webhook]?.failedAttempts == 1)
        #expect(scenario.state.notifications[webhook]?.nextAttemptAt == scenario.now.adding(.seconds(30)))

        scenario.advance(.seconds(30))
        let secondTry = try scenario.run(.recordNotification(webhook, error: "connection refused"))
        #expect(secondTry.first?.fact.notificationFailed?.attempt == 2)
        #expect(secondTry.first?.fact.notificationFailed?.nextAttemptAt == scenario.now.adding(.seconds(60)),
                "the back-off doubles")
        #expect(scenario.state.notifications[webhook] != nil, "still pending after two failures")

        scenario.advance(.seconds(60))
        let thirdTry = try scenario.run(.recordNotification(webhook, error: nil))
        #expect(thirdTry.typeNames == ["NotificationSent"])
        #expect(thirdTry.first?.fact.notificationSent
            == NotificationSent(webhookID: webhook, recipient: "alice@acme.example", attempt: 3))
        #expect(scenario.state.notifications[webhook] == nil)
    }

    @Test("The e-mail back-off doubles from 30 s and stops growing at an hour")
    func theBackOffIsCappedAtAnHour() throws {
        let start = Scenario.start
        let delays = (1...12).map { attempt in
            DeliveryRules.notificationRetryTime(afterFailedAttempt: attempt, at: start).since(start)
        }
        #expect(delays == [
            .seconds(30), .seconds(60), .seconds(120), .seconds(240), .seconds(480), .seconds(960), .seconds(1920),
            .seconds(3600), .seconds(3600), .seconds(3600), .seconds(3600), .seconds(3600),
        ])
    }

    @Test("The e-mail goes to the owner address in force when the webhook was disabled")
    func theEmailGoesToTheCurrentOwner() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace(owner: "alice@acme.example")
        let webhook = try scenario.createWebhook(in: workspace)
        try scenario.run(.changeWorkspace(workspace, plan: nil, ownerEmail: "bob@acme.example"))

        try scenario.failRepeatedly(webhook, times: 31)

        #expect(scenario.state.notifications[webhook]?.recipient == "bob@acme.example")
    }

    @Test("Recording an e-mail outcome when none is waiting is refused with conflict")
    func anOutcomeWithoutAPendingEmailIsRefused() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let webhook = try scenario.createWebhook(in: workspace)

        let error = #expect(throws: DecisionError.self) {
            try scenario.run(.recordNotification(webhook, error: nil))
        }
        #expect(error?.code == .conflict)
    }
}
