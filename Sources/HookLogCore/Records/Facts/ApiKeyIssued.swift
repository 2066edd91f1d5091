/// An API key was issued for a workspace. Only the key's SHA-256 is kept; `hint` is its first characters.
public struct ApiKeyIssued: FactPayload {
    public var keyID: ApiKeyID
    public var workspaceID: WorkspaceID
    public var keyHash: [UInt8]
    public var hint: String

    public init(keyID: ApiKeyID, workspaceID: WorkspaceID, keyHash: [UInt8], hint: String) {
        self.keyID = keyID
        self.workspaceID = workspaceID
        self.keyHash = keyHash
        self.hint = hint
    }

    public static var tag: FactTag { .apiKeyIssued }
    public static var name: String { "ApiKeyIssued" }
    public var fact: Fact { .apiKeyIssued(self) }

    public var fields: [(String, JSONValue)] {
        [("key_id", .id(keyID)), ("workspace_id", .id(workspaceID)), ("hint", .string(hint))]
    }

    public func indexKeys(in state: HookLogState) -> IndexKeys {
        .workspace(workspaceID)
    }

    public func encode(to writer: inout BinaryWriter) {
        writer.write(keyID)
        writer.write(workspaceID)
        writer.write(keyHash)
        writer.write(hint)
    }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        self.init(
            keyID: try reader.read(), workspaceID: try reader.read(), keyHash: try reader.readBytes(),
            hint: try reader.readString())
    }
}
