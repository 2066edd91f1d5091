/// A workspace (tenant) came into being.
public struct WorkspaceCreated: FactPayload {
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

    public static var tag: FactTag { .workspaceCreated }
    public static var name: String { "WorkspaceCreated" }
    public var fact: Fact { .workspaceCreated(self) }

    public var fields: [(String, JSONValue)] {
        [("workspace_id", .id(workspaceID)), ("name", .string(name)), ("plan", .string(plan.rawValue)),
         ("owner_email", .string(ownerEmail))]
    }

    public func indexKeys(in state: HookLogState) -> IndexKeys {
        .workspace(workspaceID)
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
