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
    /// The shape of its requests.
    public var format: WebhookFormat = .standard
    /// The most deliveries a second it receives, attempts and retries alike (nil: no limit); its queue waits for
    /// its turn, in order (docs/rules.md §2.2).
    public var rateLimit: Int?

    /// Whether events of `type` are delivered to this webhook.
    public func subscribes(to type: EventType) -> Bool { events.contains(type) }

    /// The secrets a request sent at `now` is signed with, the current one first: during a rotation's overlap the
    /// previous one too, so that a receiver that has either verifies it (Standard Webhooks' several signatures).
    public func signingSecrets(at now: Timestamp) -> [String] {
        guard let previousSecret, let previousSecretEndsAt, now < previousSecretEndsAt else { return [secret] }
        return [secret, previousSecret]
    }
}

extension Webhook {
    /// Reads a webhook as a checkpoint or base snapshot holds it; one written before webhooks had a format or rate
    /// limit has the standard format and none.
    public init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: CodingKeys.self)
        id = try fields.decode(WebhookID.self, forKey: .id)
        workspaceID = try fields.decode(WorkspaceID.self, forKey: .workspaceID)
        url = try fields.decode(String.self, forKey: .url)
        events = try fields.decode([EventType].self, forKey: .events)
        secret = try fields.decode(String.self, forKey: .secret)
        previousSecret = try fields.decodeIfPresent(String.self, forKey: .previousSecret)
        previousSecretEndsAt = try fields.decodeIfPresent(Timestamp.self, forKey: .previousSecretEndsAt)
        status = try fields.decode(WebhookStatus.self, forKey: .status)
        disabledReason = try fields.decodeIfPresent(String.self, forKey: .disabledReason)
        disabledAt = try fields.decodeIfPresent(Timestamp.self, forKey: .disabledAt)
        createdAt = try fields.decode(Timestamp.self, forKey: .createdAt)
        format = try fields.decodeIfPresent(WebhookFormat.self, forKey: .format) ?? .standard
        rateLimit = try fields.decodeIfPresent(Int.self, forKey: .rateLimit)
    }
}

/// Whether a webhook receives deliveries.
public enum WebhookStatus: String, Hashable, Codable, Sendable {
    /// Deliveries are sent.
    case active
    /// Deliveries are skipped until the owner enables it again.
    case disabled
}
