/// An API key was revoked and no longer authenticates.
public struct ApiKeyRevoked: Hashable, Sendable, BinaryCodable {
    public var keyID: ApiKeyID

    public init(keyID: ApiKeyID) {
        self.keyID = keyID
    }

    public func encode(to writer: inout BinaryWriter) { writer.write(keyID) }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) { self.init(keyID: try reader.read()) }
}
