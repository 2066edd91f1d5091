import HookLogCore
import HookLogStore
import Hummingbird

/// `POST /v1/workspaces` and `PATCH /v1/workspaces/{id}`: the admin's.
struct WorkspaceController<C: Clock<Duration>>: Sendable where C.Instant == Timestamp {
    let log: LogService<C>

    /// Adds the routes to `group`, which is at `/v1/workspaces` and admits the admin only.
    func addRoutes(to group: RouterGroup<HookLogRequestContext>) {
        group.post(use: create)
        group.patch("{id}", use: change)
    }

    @Sendable func create(_ request: Request, context: HookLogRequestContext) async throws -> EditedResponse<CreatedWorkspaceJSON> {
        let body = try await request.decode(as: NewWorkspace.self, context: context)
        let key = WorkspaceKey.make()
        let records = try await log.execute(.createWorkspaceWithKey(
            name: body.name, plan: body.plan.plan, ownerEmail: body.ownerEmail, keyHash: key.hash, hint: key.hint))
        guard case .apiKeyIssued(let issued) = records.last?.record.fact,
            let workspace = log.store.withState({ $0.workspaces[issued.workspaceID] })
        else { throw APIError.unavailable }
        return EditedResponse(status: .created, response: CreatedWorkspaceJSON(
            workspace: WorkspaceJSON(workspace: workspace),
            apiKey: CreatedWorkspaceJSON.IssuedKey(id: issued.keyID.rawValue, key: key.key, hint: key.hint)))
    }

    @Sendable func change(_ request: Request, context: HookLogRequestContext) async throws -> WorkspaceJSON {
        let id = WorkspaceID(try context.parameters.require("id"))
        let body = try await request.decode(as: WorkspaceChange.self, context: context)
        guard body.plan != nil || body.ownerEmail != nil else { throw APIError.invalidField("give plan, owner_email or both") }
        _ = try await log.execute(.changeWorkspace(id, plan: body.plan?.plan, ownerEmail: body.ownerEmail))
        guard let workspace = log.store.withState({ $0.workspaces[id] }) else { throw APIError.notFound("no workspace \(id)") }
        return WorkspaceJSON(workspace: workspace)
    }

    /// The body of `POST /v1/workspaces`.
    private struct NewWorkspace: Decodable {
        let name: String
        let plan: PlanField
        let ownerEmail: String

        enum CodingKeys: String, CodingKey {
            case name, plan
            case ownerEmail = "owner_email"
        }
    }

    /// The body of `PATCH /v1/workspaces/{id}`.
    private struct WorkspaceChange: Decodable {
        let plan: PlanField?
        let ownerEmail: String?

        enum CodingKeys: String, CodingKey {
            case plan
            case ownerEmail = "owner_email"
        }
    }
}
