import HookLogDelivery
import HookLogTestSupport
import Testing

/// A request HookLog sent, as a receiver checks it: Standard Webhooks accepts it if any of its signatures is the one
/// the receiver's secret gives (the HMAC alone, without the check of the timestamp against the real time, which a
/// manual clock would fail).
struct SignedDelivery {
    let id: String
    let timestamp: Int64
    let signatures: [String]
    let body: [UInt8]

    /// The signed parts of `request`, which must carry the three `webhook-` headers.
    init(_ request: TestReceiver.ReceivedRequest) throws {
        id = try #require(request.header("webhook-id"))
        timestamp = try #require(request.header("webhook-timestamp").flatMap { Int64($0) })
        signatures = try #require(request.header("webhook-signature")).split(separator: " ").map(String.init)
        body = request.body
    }

    func expected(_ secret: String) -> String? {
        try? WebhookSigner(secret: secret).signature(messageID: id, timestamp: timestamp, body: body)
    }

    func verifies(with secret: String) -> Bool {
        expected(secret).map(signatures.contains) ?? false
    }
}
