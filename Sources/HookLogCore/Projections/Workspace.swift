/// A workspace as the log has made it.
public struct Workspace: Hashable, Codable, Sendable {
    public var id: WorkspaceID
    public var name: String
    public var plan: Plan
    public var ownerEmail: String
    public var createdAt: Timestamp
    /// The workspace's webhooks, oldest first.
    public var webhookIDs: [WebhookID]
}

/// An API key of a workspace (the key itself is never stored, only its hash).
public struct ApiKey: Hashable, Codable, Sendable {
    public var id: ApiKeyID
    public var workspaceID: WorkspaceID
    public var keyHash: [UInt8]
    public var hint: String
    public var issuedAt: Timestamp
}
