/// A workspace's plan or owner e-mail changed; both fields carry their values after the change.
public struct WorkspacePlanChanged: FactPayload {
    public var workspaceID: WorkspaceID
    public var plan: Plan
    public var ownerEmail: String

    public init(workspaceID: WorkspaceID, plan: Plan, ownerEmail: String) {
        self.workspaceID = workspaceID
        self.plan = plan
        self.ownerEmail = ownerEmail
    }

    public static var tag: FactTag { .workspacePlanChanged }
    public static var name: String { "WorkspacePlanChanged" }
    public var fact: Fact { .workspacePlanChanged(self) }

    public var fields: [(String, JSONValue)] {
        [("workspace_id", .id(workspaceID)), ("plan", .string(plan.rawValue)), ("owner_email", .string(ownerEmail))]
    }

    public func indexKeys(in state: HookLogState) -> IndexKeys {
        .workspace(workspaceID)
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
