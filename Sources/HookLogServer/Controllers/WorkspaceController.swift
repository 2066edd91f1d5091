import HookLogCore
import Hummingbird

/// `POST /v1/workspaces` and `PATCH /v1/workspaces/{id}`: the admin's.
struct WorkspaceController<C: Clock<Duration>>: Sendable where C.Instant == Timestamp {
    let log: LogService<C>

    /// Adds the routes to `group`, which is at `/v1/workspaces` and admits the admin only.
    func addRoutes(to group: RouterGroup<HookLogRequestContext>) {
        group.post(use: create)
        group.patch("{id}", use: change)
    }

    @Sendable func create(_ request: Request, context: HookLogRequestContext) async throws -> Response {
        let body = try JSONObjectReader(try await RequestBodyReader.json(of: request).root)
        let name = try body.string("name")
        guard let plan = try body.optionalPlan("plan") else { throw APIError.invalidField("plan is required") }
        let ownerEmail = try body.string("owner_email")
        let key = WorkspaceKey.make()
        let records = try await log.execute(
            .createWorkspaceWithKey(name: name, plan: plan, ownerEmail: ownerEmail, keyHash: key.hash, hint: key.hint))
        guard case .apiKeyIssued(let issued) = records.last?.record.fact,
            let workspace = log.store.withState({ $0.workspaces[issued.workspaceID] })
        else { throw APIError.unavailable }
        return JSONResponse.make(.created, .object([
            ("workspace", workspace.json),
            ("api_key", .object([("id", .string(issued.keyID.rawValue)), ("key", .string(key.key)), ("hint", .string(key.hint))])),
        ]))
    }

    @Sendable func change(_ request: Request, context: HookLogRequestContext) async throws -> Response {
        let id = WorkspaceID(try context.parameters.require("id"))
        let body = try JSONObjectReader(try await RequestBodyReader.json(of: request).root)
        let plan = try body.optionalPlan("plan")
        let ownerEmail = try body.optionalString("owner_email")
        guard plan != nil || ownerEmail != nil else { throw APIError.invalidField("give plan, owner_email or both") }
        _ = try await log.execute(.changeWorkspace(id, plan: plan, ownerEmail: ownerEmail))
        guard let workspace = log.store.withState({ $0.workspaces[id] }) else { throw APIError.notFound("no workspace \(id)") }
        return JSONResponse.make(.ok, workspace.json)
    }
}
