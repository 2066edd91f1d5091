import Foundation
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
        let now = Timestamp(seconds: 1_800_000_000)
        let webhook: WebhookID = ids.next(at: now)
        let event: EventID = ids.next(at: now)
        let delivery: DeliveryID = ids.next(at: now)
        let workspace: WorkspaceID = ids.next(at: now)
        let key: ApiKeyID = ids.next(at: now)

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
        let now = Timestamp(seconds: 1_800_000_000)

        let drawn: [WebhookID] = (0..<1000).map { _ in first.next(at: now) }
        let again: [WebhookID] = (0..<1000).map { _ in second.next(at: now) }
        let elsewhere: [WebhookID] = (0..<1000).map { _ in other.next(at: now) }

        #expect(drawn == again)
        #expect(Set(drawn).count == 1000)
        #expect(drawn != elsewhere)
    }

    @Test("An id starts with the millisecond it was drawn in and a counter: ids sort as they were drawn, by text and by leading bits")
    func identifiersAreOrderedByTime() throws {
        var ids = IdentifierSource(SplitMix64(seed: 3))
        let start = Timestamp(milliseconds: 1_800_000_000_123)
        // Three in one millisecond, one a millisecond later, one when the clock went back a second.
        let times = [start, start, start, start.adding(.milliseconds(1)), start.adding(.seconds(-1))]
        let drawn: [EventID] = times.map { ids.next(at: $0) }
        let leading = try drawn.map { try #require(IdentifierLayout.leadingBits(of: Array($0.rawValue.utf8), prefix: "evt_")) }

        #expect(drawn == drawn.sorted(), "\(drawn)")
        #expect(leading == leading.sorted() && Set(leading).count == drawn.count, "\(leading)")
        #expect(leading.map { $0 >> 15 } == [1_800_000_000_123, 1_800_000_000_123, 1_800_000_000_123, 1_800_000_000_124, 1_800_000_000_124])
        #expect(leading.map { $0 & 0x7FFF } == [0, 1, 2, 0, 1], "the counter restarts each millisecond and never goes back")
        // 10 characters are 50 bits: the millisecond's 48 (0x1A3185C507B) and the counter's first 2.
        #expect(drawn[0].rawValue.hasPrefix("evt_06hhgq2gfc"), "\(drawn[0])")
    }

    @Test("Past 32,768 ids in one millisecond, a source moves on to the next millisecond")
    func theCounterOverflowsIntoTheNextMillisecond() throws {
        var ids = IdentifierSource(SplitMix64(seed: 4))
        let now = Timestamp(milliseconds: 1_800_000_000_000)
        let drawn: [DeliveryID] = (0..<32_770).map { _ in ids.next(at: now) }
        let leading = try drawn.suffix(3).map { try #require(IdentifierLayout.leadingBits(of: Array($0.rawValue.utf8), prefix: "dlv_")) }

        #expect(leading == [1_800_000_000_000 << 15 | 0x7FFF, 1_800_000_000_001 << 15, 1_800_000_000_001 << 15 | 1])
        #expect(drawn == drawn.sorted())
    }

    @Test("Only the text of a generated id has leading bits", arguments: [
        "evt_01k", "evt_01kz9k3m5d7f8g9h0jk1m2n3p", "wh_01kz9k3m5d7f8g9h0jk1", "evt_01kz9k3m5d7f8g9h0jk!", "evt_01KZ9K3M5D7F8G9H0JK1",
    ])
    func leadingBitsNeedAGeneratedId(text: String) {
        #expect(IdentifierLayout.leadingBits(of: Array(text.utf8), prefix: "evt_") == nil)
    }

    @Test("An id is equal, hashes and sorts as its text, whether it is a generated id or any other text", arguments: [
        "evt_01k", "evt_01kz9k3m5d7f8g9h0jk1m2n3p", "wh_01kz9k3m5d7f8g9h0jk1", "evt_01kz9k3m5d7f8g9h0jk!", "evt_01KZ9K3M5D7F8G9H0JK1",
        "evt_01kz9k3m5d7f8g9h0jki", "", "evt_01kz9k3m5d7f8g9h0jk1", "evt_zzzzzzzzzzzzzzzzzzzz", "evt_00000000000000000000",
    ])
    func identifiersBehaveAsTheirText(text: String) throws {
        var ids = IdentifierSource(SplitMix64(seed: 5))
        let drawn: [EventID] = (0..<50).map { ids.next(at: Timestamp(milliseconds: 1_800_000_000_000 + Int64($0 % 3))) }
        let id = EventID(text)
        #expect(id.rawValue == text)
        #expect(id == EventID(String(text)) && id.hashValue == EventID(String(text)).hashValue)
        #expect(try JSONDecoder().decode(EventID.self, from: try JSONEncoder().encode(id)) == id)
        for other in drawn + [EventID("evt_01kz9k3m5d7f8g9h0jk1"), EventID("evt_")] {
            #expect((id == other) == (text == other.rawValue), "\(text) and \(other)")
            #expect((id < other) == (text < other.rawValue), "\(text) and \(other)")
            #expect((other < id) == (other.rawValue < text), "\(other) and \(text)")
        }
        let generated = drawn.map { EventID($0.rawValue) }
        #expect(generated == drawn && Set(generated + drawn).count == drawn.count, "drawn or parsed from text, the same ids")
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
