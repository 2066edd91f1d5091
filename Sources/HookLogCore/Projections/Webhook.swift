/// A webhook as the log has made it.
public struct Webhook: Hashable, Codable, Sendable {
    public var id: WebhookID
    public var workspaceID: WorkspaceID
    public var url: String
    public var events: [EventType]
    public var secret: String
    /// The secret ``secret`` replaced, while it still signs requests beside it (until ``previousSecretEndsAt``).
    public var previousSecret: String?
    /// When ``previousSecret`` stops signing requests.
    public var previousSecretEndsAt: Timestamp?
    public var status: WebhookStatus
    /// Why it was disabled, while it is.
    public var disabledReason: String?
    /// When it was disabled, while it is.
    public var disabledAt: Timestamp?
    public var createdAt: Timestamp

    /// Whether events of `type` are delivered to this webhook.
    public func subscribes(to type: EventType) -> Bool { events.contains(type) }

    /// The secrets a request sent at `now` is signed with, the current one first: during a rotation's overlap the
    /// previous one too, so that a receiver that has either verifies it (Standard Webhooks' several signatures).
    public func signingSecrets(at now: Timestamp) -> [String] {
        guard let previousSecret, let previousSecretEndsAt, now < previousSecretEndsAt else { return [secret] }
        return [secret, previousSecret]
    }
}

/// Whether a webhook receives deliveries.
public enum WebhookStatus: String, Hashable, Codable, Sendable {
    /// Deliveries are sent.
    case active
    /// Deliveries are skipped until the owner enables it again.
    case disabled
}
