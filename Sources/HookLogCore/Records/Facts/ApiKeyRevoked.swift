/// An API key was revoked and no longer authenticates.
public struct ApiKeyRevoked: FactPayload {
    public var keyID: ApiKeyID

    public init(keyID: ApiKeyID) {
        self.keyID = keyID
    }

    public static var tag: FactTag { .apiKeyRevoked }
    public static var name: String { "ApiKeyRevoked" }
    public var fact: Fact { .apiKeyRevoked(self) }

    public var fields: [(String, JSONValue)] {
        [("key_id", .id(keyID))]
    }

    /// The key's workspace, as `state` knows it.
    public func indexKeys(in state: HookLogState) -> IndexKeys {
        IndexKeys(workspaces: state.apiKeys[keyID].map { [$0.workspaceID] } ?? [])
    }

    public func encode(to writer: inout BinaryWriter) { writer.write(keyID) }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) { self.init(keyID: try reader.read()) }
}
