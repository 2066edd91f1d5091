import HookLogCore
import Hummingbird

/// The API's `ApiKey`: what identifies a key without giving it away (its id, hint and creation time).
struct ApiKeyJSON: ResponseEncodable {
    let key: ApiKey

    private enum CodingKeys: String, CodingKey {
        case id, hint
        case workspaceID = "workspace_id"
        case createdAt = "created_at"
    }

    func encode(to encoder: any Encoder) throws {
        var fields = encoder.container(keyedBy: CodingKeys.self)
        try fields.encode(key.id.rawValue, forKey: .id)
        try fields.encode(key.workspaceID.rawValue, forKey: .workspaceID)
        try fields.encode(key.hint, forKey: .hint)
        try fields.encode(key.issuedAt.rfc3339, forKey: .createdAt)
    }
}

/// The API's `IssuedApiKey`: a new key as ``ApiKeyJSON`` shows it, with the key itself, the only time it is shown.
struct IssuedApiKeyJSON: ResponseEncodable {
    let key: ApiKey
    let secret: String

    private enum CodingKeys: String, CodingKey {
        case key
    }

    func encode(to encoder: any Encoder) throws {
        try ApiKeyJSON(key: key).encode(to: encoder)
        var fields = encoder.container(keyedBy: CodingKeys.self)
        try fields.encode(secret, forKey: .key)
    }
}

/// The list of a workspace's keys: `{"data": [...]}`, oldest first. Not paged: a workspace has at most
/// `--max-keys-per-workspace` keys.
struct ApiKeyListJSON: ResponseEncodable {
    let data: [ApiKeyJSON]
}
