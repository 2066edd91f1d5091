/// A webhook was disabled because its workspace's error budget was exceeded.
public struct WebhookDisabled: Hashable, Sendable, BinaryCodable {
    public var webhookID: WebhookID
    public var workspaceID: WorkspaceID
    /// Why, for a person: the count and the window that were exceeded.
    public var reason: String
    /// The workspace's failed attempts in the window, the one that crossed the limit included.
    public var errorCount: Int

    public init(webhookID: WebhookID, workspaceID: WorkspaceID, reason: String, errorCount: Int) {
        self.webhookID = webhookID
        self.workspaceID = workspaceID
        self.reason = reason
        self.errorCount = errorCount
    }

    public func encode(to writer: inout BinaryWriter) {
        writer.write(webhookID)
        writer.write(workspaceID)
        writer.write(reason)
        writer.write(errorCount)
    }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        self.init(
            webhookID: try reader.read(), workspaceID: try reader.read(), reason: try reader.readString(),
            errorCount: try reader.readInt())
    }
}
