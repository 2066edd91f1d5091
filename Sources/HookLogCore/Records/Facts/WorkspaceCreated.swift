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
