import Foundation
import HookLogCore
import HookLogDelivery
import Testing

/// The disable e-mail's text. docs/rules.md §2.5: "the workspace owner is sent an e-mail over SMTP (which webhook,
/// when, the last errors, how to re-enable)".
@Suite("Disable notification")
struct DisableNotificationTests {
    static let disabledAt = Timestamp(milliseconds: 1_800_000_123_456)
    static let dashboardURL = "https://hooklog.example.com"

    /// A workspace and its webhook as the log makes them.
    static func workspaceAndWebhook() throws -> (Workspace, Webhook) {
        var state = HookLogState()
        state.evolve(LoggedRecord(sequence: 1, record: Record(at: disabledAt, .workspaceCreated(WorkspaceCreated(
            workspaceID: WorkspaceID("ws_acme"), name: "Acme", plan: .advanced, ownerEmail: "owner@acme.test")))))
        state.evolve(LoggedRecord(sequence: 2, record: Record(at: disabledAt, .webhookCreated(WebhookCreated(
            webhookID: WebhookID("wh_2kq9"), workspaceID: WorkspaceID("ws_acme"), url: "https://acme.test/hooks",
            events: [.contactCreated, .messageReceived], secret: "whsec_x")))))
        return (try #require(state.workspaces[WorkspaceID("ws_acme")]), try #require(state.webhooks[WebhookID("wh_2kq9")]))
    }

    /// The `number`th of a run of failed attempts, a minute apart: HTTP 503s with a long page, every third a timeout.
    static func failure(_ number: Int) -> AttemptRecord {
        AttemptRecord(AttemptFailed(
            deliveryID: DeliveryID("dlv_\(number)"), webhookID: WebhookID("wh_2kq9"), number: number % 4 + 1,
            startedAt: Timestamp(milliseconds: 1_800_000_000_000 + Int64(number) * 60_000), durationMilliseconds: 5000,
            failure: number % 3 == 0 ? .error(.timeout) : .status(503),
            responseSnippet: number % 3 == 0 ? "" : "error \(number):\n" + String(repeating: "x", count: 300),
            nextAttemptAt: nil))
    }

    static func message(lastErrors: [AttemptRecord]) throws -> EmailMessage {
        let (workspace, webhook) = try workspaceAndWebhook()
        return DisableNotification.message(
            from: "HookLog <hooklog@example.test>", workspace: workspace, webhook: webhook, disabledAt: disabledAt,
            reason: "31 failed attempts in the last 30 minutes (limit 30)", lastErrors: lastErrors, dashboardURL: dashboardURL)
    }

    @Test func itGoesToTheOwnerAndNamesTheWebhookInTheSubject() throws {
        let message = try Self.message(lastErrors: [])
        #expect(message.from == "HookLog <hooklog@example.test>")
        #expect(message.to == "owner@acme.test")
        #expect(message.subject == "HookLog: webhook https://acme.test/hooks was disabled")
    }

    @Test func itSaysWhichWebhookWhenAndWhy() throws {
        let text = try Self.message(lastErrors: []).textBody
        #expect(text.contains("wh_2kq9"))
        #expect(text.contains("https://acme.test/hooks"))
        #expect(text.contains("contact.created, message.received"))
        #expect(text.contains("2027-01-15T08:02:03.456Z"))
        #expect(text.contains("31 failed attempts in the last 30 minutes (limit 30)"))
        #expect(text.contains("\"Acme\" (ws_acme)"))
    }

    @Test func itListsTheTenLatestErrorsNewestFirstWithShortSnippets() throws {
        let text = try Self.message(lastErrors: (1...12).map(Self.failure)).textBody
        let listed = (1...12).filter { text.contains(Self.failure($0).startedAt.rfc3339) }
        #expect(listed == Array(3...12))
        let positions = (3...12).reversed().map { text.range(of: Self.failure($0).startedAt.rfc3339)!.lowerBound }
        #expect(positions == positions.sorted())
        #expect(text.contains("attempt 2  HTTP 503  (5000 ms)"))
        #expect(text.contains("timeout  (5000 ms)"))
        // The snippet is on one line and cut to 200 characters.
        #expect(text.contains("response: error 11: " + String(repeating: "x", count: 200 - "error 11: ".count) + "…\n"))
    }

    @Test func itLinksToTheDashboardToEnableAndRecover() throws {
        let text = try Self.message(lastErrors: []).textBody
        #expect(text.contains("press Enable beside it on your\nwebhooks page of the HookLog dashboard"))
        #expect(text.contains("\n  https://hooklog.example.com/webhooks\n"), "the webhooks page, with its Enable button")
        #expect(text.contains("\n  https://hooklog.example.com/webhooks/wh_2kq9\n"), "the webhook's event log")
        #expect(!text.contains("https://hooklog.example.com/v1/"), "no link to the API")
        #expect(text.contains("POST /v1/webhooks/wh_2kq9/enable (add ?recover=true to recover)"))
    }
}
