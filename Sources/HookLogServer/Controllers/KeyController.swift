import HookLogCore
import HookLogStore
import Hummingbird

/// A workspace's API keys: issuing another (shown once), listing them without the keys, and revoking one, which
/// stops it at once for the API and for every dashboard session opened with it. A workspace manages its own at
/// `/v1/keys`; the admin any workspace's at `/v1/workspaces/{id}/keys`.
///
/// A workspace may revoke any of its keys, the one it calls with included, but not its last one (409 `conflict`):
/// that would lock it out of its own API, and only the admin could issue it a key again. The admin may revoke a
/// workspace's last key, to shut the workspace out.
struct KeyController<C: Clock<Duration>>: Sendable where C.Instant == Timestamp {
    let log: LogService<C>

    /// Adds `POST`, `GET` and `DELETE {id}` to `group`, which is at `/v1/keys` and admits workspaces.
    func addWorkspaceRoutes(to group: RouterGroup<HookLogRequestContext>) {
        group.post { _, context in try await issue(for: try context.workspace.id) }
        group.get { _, context in try list(of: try context.workspace.id) }
        group.delete("{key_id}") { _, context in
            try await revoke(try context.parameters.require("key_id"), of: try context.workspace.id, sparingLastKey: true)
        }
    }

    /// Adds `POST`, `GET` and `DELETE {key_id}` under `{id}/keys` to `group`, which is at `/v1/workspaces` and admits
    /// the admin only.
    func addAdminRoutes(to group: RouterGroup<HookLogRequestContext>) {
        group.post("{id}/keys") { _, context in try await issue(for: try existingWorkspace(context)) }
        group.get("{id}/keys") { _, context in try list(of: try existingWorkspace(context)) }
        group.delete("{id}/keys/{key_id}") { _, context in
            try await revoke(try context.parameters.require("key_id"), of: try existingWorkspace(context), sparingLastKey: false)
        }
    }

    /// Issues another key for `workspaceID` and shows it, this once.
    private func issue(for workspaceID: WorkspaceID) async throws -> EditedResponse<IssuedApiKeyJSON> {
        let made = WorkspaceKey.make()
        let records = try await log.execute(
            .issueApiKey(workspaceID, keyHash: made.hash, hint: made.hint, limit: log.configuration.maxKeysPerWorkspace))
        guard case .apiKeyIssued(let issued) = records.first?.record.fact,
            let key = log.store.withState({ $0.apiKeys[issued.keyID] })
        else { throw APIError.unavailable }
        return EditedResponse(status: .created, response: IssuedApiKeyJSON(key: key, secret: made.key))
    }

    /// The live keys of `workspaceID`, oldest first.
    private func list(of workspaceID: WorkspaceID) throws -> ApiKeyListJSON {
        ApiKeyListJSON(data: log.store.withState { $0.apiKeys.keys(of: workspaceID) }.map(ApiKeyJSON.init))
    }

    /// Revokes the key `id` if it is one of `workspaceID`'s (404 otherwise, whoever's it is).
    private func revoke(_ id: String, of workspaceID: WorkspaceID, sparingLastKey: Bool) async throws -> Response {
        let keyID = ApiKeyID(id)
        guard log.store.withState({ $0.apiKeys[keyID]?.workspaceID }) == workspaceID else {
            throw APIError.notFound("no API key \(id) in this workspace")
        }
        _ = try await log.execute(.revokeApiKey(keyID, sparingLastKey: sparingLastKey))
        return Response(status: .noContent)
    }

    /// The workspace the admin's path names; 404 when there is none.
    private func existingWorkspace(_ context: HookLogRequestContext) throws -> WorkspaceID {
        let id = WorkspaceID(try context.parameters.require("id"))
        guard log.store.withState({ $0.workspaces[id] }) != nil else { throw APIError.notFound("no workspace \(id)") }
        return id
    }
}
