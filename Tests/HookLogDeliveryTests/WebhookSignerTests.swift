import Crypto
import HookLogCore
import HookLogDelivery
import Testing

/// The `webhook-signature` header (docs/rules.md, "The request HookLog sends"): `v1,` + base64 of HMAC-SHA256 over
/// `"{webhook-id}.{webhook-timestamp}.{body}"`, keyed by the base64-decoded part of the secret after `whsec_`.
@Suite("Webhook signer")
struct WebhookSignerTests {
    @Test("signs the Standard Webhooks reference vector as the reference libraries do")
    func referenceVector() throws {
        let signer = try WebhookSigner(secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        let signature = signer.signature(
            messageID: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: Array(#"{"test": 2432232314}"#.utf8))
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    @Test("the signature is HMAC-SHA256 over id.timestamp.body keyed by the secret's decoded bytes")
    func knownAnswer() throws {
        let key = (0..<24).map { UInt8($0 * 11 % 256) }
        let body = Array(#"{"id":"evt_1","data":{"name":"Zoë"}}"#.utf8)
        let expected = HMAC<SHA256>.authenticationCode(
            for: Array("evt_1.1800000000.".utf8) + body, using: SymmetricKey(data: key))
        let signer = try WebhookSigner(secret: "whsec_" + Base64.encode(key))
        #expect(signer.signature(messageID: "evt_1", timestamp: 1_800_000_000, body: body)
            == "v1," + Base64.encode(Array(expected)))
    }

    @Test("a different id, timestamp, body or secret gives a different signature")
    func everyPartCounts() throws {
        let secret = "whsec_" + Base64.encode(Array(repeating: 7, count: 24))
        let signer = try WebhookSigner(secret: secret)
        let base = signer.signature(messageID: "evt_1", timestamp: 100, body: [1, 2, 3])
        #expect(signer.signature(messageID: "evt_2", timestamp: 100, body: [1, 2, 3]) != base)
        #expect(signer.signature(messageID: "evt_1", timestamp: 101, body: [1, 2, 3]) != base)
        #expect(signer.signature(messageID: "evt_1", timestamp: 100, body: [1, 2, 4]) != base)
        let other = try WebhookSigner(secret: "whsec_" + Base64.encode(Array(repeating: 8, count: 24)))
        #expect(other.signature(messageID: "evt_1", timestamp: 100, body: [1, 2, 3]) != base)
    }

    @Test("with several secrets the header holds each one's signature, space-separated, in the order given")
    func severalSecrets() throws {
        let new = "whsec_" + Base64.encode(Array(repeating: 1, count: 24))
        let old = "whsec_" + Base64.encode(Array(repeating: 2, count: 24))
        let both = try WebhookSigner(secrets: [new, old]).signature(messageID: "evt_1", timestamp: 100, body: [1])
        let newAlone = try WebhookSigner(secret: new).signature(messageID: "evt_1", timestamp: 100, body: [1])
        let oldAlone = try WebhookSigner(secret: old).signature(messageID: "evt_1", timestamp: 100, body: [1])
        #expect(both == newAlone + " " + oldAlone)
        #expect(throws: WebhookSigner.MalformedSecret.self) { try WebhookSigner(secrets: []) }
    }

    @Test("a malformed secret is refused with the reason", arguments: [
        ("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "must start with 'whsec_'"),
        ("whsec_not base64!", "must be base64"),
        ("whsec_", "at least one byte"),
    ])
    func malformedSecrets(secret: String, reason: String) {
        #expect {
            _ = try WebhookSigner(secret: secret)
        } throws: { error in
            String(describing: error).contains(reason)
        }
    }
}
