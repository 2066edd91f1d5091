/// An `Idempotency-Key` in the workspace that sent it: keys are the clients' own, so the same key in two workspaces
/// names two different requests.
public struct IdempotencyKey: Hashable, Sendable {
    public var workspaceID: WorkspaceID
    /// The header's value.
    public var value: String

    public init(workspaceID: WorkspaceID, value: String) {
        self.workspaceID = workspaceID
        self.value = value
    }

    /// The key an incoming event was sent with, if any.
    public init?(of event: IncomingEvent) {
        guard let value = event.idempotencyKey else { return nil }
        self.init(workspaceID: event.workspaceID, value: value)
    }

    /// The key a received event was sent with, if any.
    public init?(of event: EventReceived) {
        guard let value = event.idempotencyKey else { return nil }
        self.init(workspaceID: event.workspaceID, value: value)
    }
}
