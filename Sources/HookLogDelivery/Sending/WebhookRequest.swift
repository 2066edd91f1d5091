/// One message to deliver: where to, its id, its body and the secret it is signed with.
public struct WebhookRequest: Sendable {
    /// The endpoint's URL (http or https).
    public let url: String
    /// The `webhook-id` header: the event's id, which receivers deduplicate with.
    public let messageID: String
    /// The JSON body, as ``WebhookPayload/body(of:)`` builds it.
    public let body: [UInt8]
    /// The webhook's secret (`whsec_…`).
    public let secret: String
    /// Signs with ``secret``; made once, here, so that a malformed secret is refused before any attempt.
    let signer: WebhookSigner

    /// A request to `url`; throws if `secret` is not a `whsec_` secret.
    public init(url: String, messageID: String, body: [UInt8], secret: String) throws(WebhookSigner.MalformedSecret) {
        self.url = url
        self.messageID = messageID
        self.body = body
        self.secret = secret
        self.signer = try WebhookSigner(secret: secret)
    }
}
