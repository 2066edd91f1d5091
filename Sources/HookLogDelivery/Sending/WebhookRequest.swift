/// One message to deliver: where to, its id, its body and the secrets it is signed with.
public struct WebhookRequest: Sendable {
    /// The endpoint's URL (http or https).
    public let url: String
    /// The `webhook-id` header: the event's id, which receivers deduplicate with.
    public let messageID: String
    /// The JSON body, as ``WebhookPayload/body(of:)`` builds it.
    public let body: [UInt8]
    /// The webhook's secrets (`whsec_…`) the request is signed with: its current one, then during a rotation's
    /// overlap the one it replaced (``HookLogCore/Webhook/signingSecrets(at:)``).
    public let secrets: [String]
    /// Signs with ``secrets``; made once, here, so that a malformed secret is refused before any attempt.
    let signer: WebhookSigner

    /// A request to `url` signed with `secret` alone; throws if it is not a `whsec_` secret.
    public init(url: String, messageID: String, body: [UInt8], secret: String) throws(WebhookSigner.MalformedSecret) {
        try self.init(url: url, messageID: messageID, body: body, secrets: [secret])
    }

    /// A request to `url` carrying one signature per secret of `secrets`, in that order; throws if one is not a
    /// `whsec_` secret, or if there is none.
    public init(url: String, messageID: String, body: [UInt8], secrets: [String]) throws(WebhookSigner.MalformedSecret) {
        self.url = url
        self.messageID = messageID
        self.body = body
        self.secrets = secrets
        self.signer = try WebhookSigner(secrets: secrets)
    }
}
