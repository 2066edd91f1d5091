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
