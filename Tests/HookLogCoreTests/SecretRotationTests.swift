import HookLogCore
import Testing

/// docs/rules.md, "Secret rotation": a rotation gives the webhook a new secret, and the old one keeps signing beside
/// it until the overlap ends; an overlap of zero ends it at once.
@Suite("Secret rotation")
struct SecretRotationTests {
    @Test("a rotation keeps the old secret signing, after the new, until the overlap ends")
    func overlapEndsAtItsTime() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let webhook = try scenario.createWebhook(in: workspace)
        let old = try #require(scenario.state.webhooks[webhook]).secret
        #expect(scenario.state.webhooks[webhook]?.signingSecrets(at: scenario.now) == [old])

        let records = try scenario.run(.rotateWebhookSecret(webhook, overlap: .seconds(86_400)))
        guard case .webhookSecretRotated(let rotated) = try #require(records.only).fact else {
            Issue.record("a rotation recorded \(records.map(\.fact.typeName))")
            return
        }
        #expect(rotated.secret != old && rotated.secret.hasPrefix("whsec_"))
        #expect(rotated.previousSecretEndsAt == scenario.now.adding(.seconds(86_400)))
        let after = try #require(scenario.state.webhooks[webhook])
        #expect(after.secret == rotated.secret)
        #expect(after.previousSecret == old)
        #expect(after.signingSecrets(at: scenario.now) == [rotated.secret, old])
        #expect(after.signingSecrets(at: scenario.now.adding(.seconds(86_399))) == [rotated.secret, old])
        #expect(after.signingSecrets(at: scenario.now.adding(.seconds(86_400))) == [rotated.secret])
    }

    @Test("an overlap of zero ends the old secret at once")
    func zeroOverlap() throws {
        var scenario = Scenario()
        let webhook = try scenario.createWebhook(in: try scenario.createWorkspace())
        try scenario.run(.rotateWebhookSecret(webhook, overlap: .zero))
        let after = try #require(scenario.state.webhooks[webhook])
        #expect(after.previousSecret == nil)
        #expect(after.signingSecrets(at: scenario.now) == [after.secret])
    }

    @Test("a second rotation within the overlap keeps only the secret it replaces beside the new one")
    func secondRotation() throws {
        var scenario = Scenario()
        let webhook = try scenario.createWebhook(in: try scenario.createWorkspace())
        try scenario.run(.rotateWebhookSecret(webhook, overlap: .seconds(3_600)))
        let middle = try #require(scenario.state.webhooks[webhook]).secret
        scenario.advance(.seconds(60))
        try scenario.run(.rotateWebhookSecret(webhook, overlap: .seconds(3_600)))
        let after = try #require(scenario.state.webhooks[webhook])
        #expect(after.signingSecrets(at: scenario.now) == [after.secret, middle])
        #expect(after.previousSecretEndsAt == scenario.now.adding(.seconds(3_600)))
    }

    @Test("rotating the secret of a webhook that does not exist, or with a negative overlap, is refused")
    func refusals() throws {
        var scenario = Scenario()
        let webhook = try scenario.createWebhook(in: try scenario.createWorkspace())
        #expect(throws: DecisionError(.notFound, "no webhook wh_nobody")) {
            try scenario.run(.rotateWebhookSecret(WebhookID("wh_nobody"), overlap: .zero))
        }
        #expect(throws: DecisionError(.invalidField, "a secret's overlap cannot be negative")) {
            try scenario.run(.rotateWebhookSecret(webhook, overlap: .seconds(-1)))
        }
    }
}

extension Array {
    /// The one element, or nil if there are none or several.
    fileprivate var only: Element? { count == 1 ? first : nil }
}
