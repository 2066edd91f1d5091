/// A webhook as the log has made it.
public struct Webhook: Hashable, Codable, Sendable {
    public var id: WebhookID
    public var workspaceID: WorkspaceID
    public var url: String
    public var events: [EventType]
    public var secret: String
    public var status: WebhookStatus
    /// Why it was disabled, while it is.
    public var disabledReason: String?
    /// When it was disabled, while it is.
    public var disabledAt: Timestamp?
    public var createdAt: Timestamp

    /// Whether events of `type` are delivered to this webhook.
    public func subscribes(to type: EventType) -> Bool { events.contains(type) }
}

/// Whether a webhook receives deliveries.
public enum WebhookStatus: String, Hashable, Codable, Sendable {
    /// Deliveries are sent.
    case active
    /// Deliveries are skipped until the owner enables it again.
    case disabled
}
