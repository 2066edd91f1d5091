import HookLogCore
import Testing

/// Base64 as the Standard Webhooks secrets and signatures use it (RFC 4648 §4), and the ids and secrets HookLog
/// draws from an ``IdentifierSource``.
@Suite("Base64 and identifiers")
struct Base64AndIdentifierTests {
    @Test("Base64 matches the RFC 4648 §10 test vectors",
          arguments: [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="),
                      ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")])
    func rfc4648Vectors(plain: String, encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(Base64.decode(encoded) == Array(plain.utf8))
    }

    @Test("Base64 uses + and / for the last two digits and encodes every byte value")
    func theFullAlphabet() {
        #expect(Base64.encode([0xFB, 0xFF, 0xBF]) == "+/+/")
        #expect(Base64.encode([0x00, 0x10, 0x83, 0x10, 0x51, 0x87]) == "ABCDEFGH")
        let everyByte = (0...255).map(UInt8.init)
        #expect(Base64.decode(Base64.encode(everyByte)) == everyByte)
    }

    @Test("Decoding what was encoded gives the bytes back, for every length up to 100")
    func roundTrip() {
        var random = SplitMix64(seed: 4648)
        for length in 0...100 {
            for _ in 0..<20 {
                let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
                let text = Base64.encode(bytes)
                #expect(text.utf8.count == (length + 2) / 3 * 4)
                #expect(Base64.decode(text) == bytes)
            }
        }
    }

    @Test("Unpadded base64 decodes too")
    func unpaddedInput() {
        #expect(Base64.decode("Zm8") == Array("fo".utf8))
        #expect(Base64.decode("Zg") == Array("f".utf8))
    }

    @Test("Text outside the base64 alphabet, or of an impossible length, does not decode",
          arguments: ["Zm9v!", "Zm 9v", "Zm9v\n", "Z", "Zm9vY", "Zm9-", "Zm9_", "Zé=="])
    func invalidText(text: String) {
        #expect(Base64.decode(text) == nil)
    }

    @Test("A webhook secret is whsec_ and the base64 of 24 random bytes")
    func secretsAreTwentyFourBytes() throws {
        var ids = IdentifierSource(SplitMix64(seed: 1))
        let secret = ids.nextSecret()
        let another = ids.nextSecret()

        #expect(secret.hasPrefix("whsec_"))
        #expect(try #require(Base64.decode(String(secret.dropFirst(6)))).count == 24)
        #expect(secret != another)
    }

    @Test("Identifiers carry their kind's prefix and 20 Crockford base32 characters")
    func identifiersAreShaped() {
        var ids = IdentifierSource(SplitMix64(seed: 2))
        let crockford = Set("0123456789abcdefghjkmnpqrstvwxyz")
        let webhook: WebhookID = ids.next()
        let event: EventID = ids.next()
        let delivery: DeliveryID = ids.next()
        let workspace: WorkspaceID = ids.next()
        let key: ApiKeyID = ids.next()

        for (id, prefix) in [(webhook.rawValue, "wh_"), (event.rawValue, "evt_"), (delivery.rawValue, "dlv_"),
                             (workspace.rawValue, "ws_"), (key.rawValue, "key_")] {
            #expect(id.hasPrefix(prefix))
            let body = id.dropFirst(prefix.count)
            #expect(body.count == 20)
            #expect(body.allSatisfy(crockford.contains), "\(id)")
        }
    }

    @Test("The same seed draws the same identifiers; a thousand draws never repeat")
    func identifiersAreReproducibleAndDistinct() {
        var first = IdentifierSource(SplitMix64(seed: 7))
        var second = IdentifierSource(SplitMix64(seed: 7))
        var other = IdentifierSource(SplitMix64(seed: 8))

        let drawn: [WebhookID] = (0..<1000).map { _ in first.next() }
        let again: [WebhookID] = (0..<1000).map { _ in second.next() }
        let elsewhere: [WebhookID] = (0..<1000).map { _ in other.next() }

        #expect(drawn == again)
        #expect(Set(drawn).count == 1000)
        #expect(drawn != elsewhere)
    }

    @Test("Two scenarios with the same seed write the same log")
    func theSameSeedWritesTheSameLog() throws {
        func story() throws -> [LoggedRecord] {
            var scenario = Scenario(seed: 99)
            let workspace = try scenario.createWorkspace()
            let webhook = try scenario.createWebhook(in: workspace)
            try scenario.send(3, to: workspace)
            try scenario.failRepeatedly(webhook, times: 6)
            return scenario.log
        }
        #expect(try story() == story())
    }
}
