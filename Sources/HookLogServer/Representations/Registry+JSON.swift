import HookLogCore

extension Workspace {
    /// The API's `Workspace`.
    var json: JSONValue {
        .object([
            ("id", .string(id.rawValue)), ("name", .string(name)), ("plan", .string(plan.rawValue)),
            ("owner_email", .string(ownerEmail)), ("created_at", .string(createdAt.rfc3339)),
        ])
    }
}

extension Webhook {
    /// The API's `Webhook`, secret included: only the owning workspace ever sees it.
    var json: JSONValue {
        .object([
            ("id", .string(id.rawValue)), ("workspace_id", .string(workspaceID.rawValue)), ("url", .string(url)),
            ("events", .array(events.map { .string($0.rawValue) })), ("secret", .string(secret)),
            ("status", .string(status.rawValue)), ("disabled_reason", disabledReason.map(JSONValue.string) ?? .null),
            ("disabled_at", disabledAt.map { .string($0.rfc3339) } ?? .null), ("created_at", .string(createdAt.rfc3339)),
        ])
    }
}
