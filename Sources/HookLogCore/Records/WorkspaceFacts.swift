/// A workspace (tenant) came into being.
public struct WorkspaceCreated: Hashable, Sendable, BinaryCodable {
    public var workspaceID: WorkspaceID
    public var name: String
    public var plan: Plan
    public var ownerEmail: String

    public init(workspaceID: WorkspaceID, name: String, plan: Plan, ownerEmail: String) {
        self.workspaceID = workspaceID
        self.name = name
        self.plan = plan
        self.ownerEmail = ownerEmail
    }

    public func encode(to writer: inout BinaryWriter) {
        writer.write(workspaceID)
        writer.write(name)
        writer.write(plan)
        writer.write(ownerEmail)
    }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        self.init(
            workspaceID: try reader.read(), name: try reader.readString(), plan: try reader.read(),
            ownerEmail: try reader.readString())
    }
}

/// A workspace's plan or owner e-mail changed; both fields carry their values after the change.
public struct WorkspacePlanChanged: Hashable, Sendable, BinaryCodable {
    public var workspaceID: WorkspaceID
    public var plan: Plan
    public var ownerEmail: String

    public init(workspaceID: WorkspaceID, plan: Plan, ownerEmail: String) {
        self.workspaceID = workspaceID
        self.plan = plan
        self.ownerEmail = ownerEmail
    }

    public func encode(to writer: inout BinaryWriter) {
        writer.write(workspaceID)
        writer.write(plan)
        writer.write(ownerEmail)
    }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        self.init(workspaceID: try reader.read(), plan: try reader.read(), ownerEmail: try reader.readString())
    }
}

/// An API key was issued for a workspace. Only the key's SHA-256 is kept; `hint` is its first characters.
public struct ApiKeyIssued: Hashable, Sendable, BinaryCodable {
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

/// An API key was revoked and no longer authenticates.
public struct ApiKeyRevoked: Hashable, Sendable, BinaryCodable {
    public var keyID: ApiKeyID

    public init(keyID: ApiKeyID) {
        self.keyID = keyID
    }

    public func encode(to writer: inout BinaryWriter) { writer.write(keyID) }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) { self.init(keyID: try reader.read()) }
}
