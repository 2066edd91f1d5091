public import HookLogCore

/// One message to deliver: where to, its id, its body, its format and the secrets it is signed with.
public struct WebhookRequest: Sendable {
    /// The endpoint's URL (http or https).
    public let url: String
    /// The shape of the body, which tells whether the platform's `X-Webhook-Signature` header is sent too.
    public let format: WebhookFormat
    /// The `webhook-id` header: the event's id, which receivers deduplicate with.
    public let messageID: String
    /// The JSON body, as ``WebhookPayload/body(of:format:)`` builds it.
    public let body: [UInt8]
    /// The webhook's secrets (`whsec_…`) the request is signed with: its current one, then during a rotation's
    /// overlap the one it replaced (``HookLogCore/Webhook/signingSecrets(at:)``).
    public let secrets: [String]
    /// Signs with ``secrets``; made once, here, so that a malformed secret is refused before any attempt.
    let signer: WebhookSigner

    /// A request to `url` signed with `secret` alone; throws if it is not a `whsec_` secret.
    public init(
        url: String, messageID: String, body: [UInt8], secret: String, format: WebhookFormat = .standard
    ) throws(WebhookSigner.MalformedSecret) {
        try self.init(url: url, messageID: messageID, body: body, secrets: [secret], format: format)
    }

    /// A request to `url` carrying one signature per secret of `secrets`, in that order (and, in the platform's
    /// format, its own signature with the last); throws if one is not a `whsec_` secret, or if there is none.
    public init(
        url: String, messageID: String, body: [UInt8], secrets: [String], format: WebhookFormat = .standard
    ) throws(WebhookSigner.MalformedSecret) {
        self.url = url
        self.format = format
        self.messageID = messageID
        self.body = body
        self.secrets = secrets
        self.signer = try WebhookSigner(secrets: secrets)
    }

    /// The request that delivers `event` to `webhook` at `now`: its URL, the event's id, the body in the webhook's
    /// format, signed with the secrets it signs with then.
    public init(delivering event: EventReceived, to webhook: Webhook, at now: Timestamp) throws(WebhookSigner.MalformedSecret) {
        try self.init(
            url: webhook.url, messageID: event.eventID.rawValue, body: WebhookPayload.body(of: event, format: webhook.format),
            secrets: webhook.signingSecrets(at: now), format: webhook.format)
    }
}
