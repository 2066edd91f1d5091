import HookLogCore
import Hummingbird

/// The API's `Workspace`.
struct WorkspaceJSON: ResponseEncodable {
    let workspace: Workspace

    private enum CodingKeys: String, CodingKey {
        case id, name, plan
        case ownerEmail = "owner_email"
        case createdAt = "created_at"
    }

    func encode(to encoder: any Encoder) throws {
        var fields = encoder.container(keyedBy: CodingKeys.self)
        try fields.encode(workspace.id.rawValue, forKey: .id)
        try fields.encode(workspace.name, forKey: .name)
        try fields.encode(workspace.plan.rawValue, forKey: .plan)
        try fields.encode(workspace.ownerEmail, forKey: .ownerEmail)
        try fields.encode(workspace.createdAt.rfc3339, forKey: .createdAt)
    }
}

/// The API's `WorkspaceWithKey`: a new workspace and its first key, the only time the key is shown.
struct CreatedWorkspaceJSON: ResponseEncodable {
    let workspace: WorkspaceJSON
    let apiKey: IssuedKey

    /// A key as it is shown once.
    struct IssuedKey: Encodable {
        let id: String
        let key: String
        let hint: String
    }

    private enum CodingKeys: String, CodingKey {
        case workspace
        case apiKey = "api_key"
    }
}
