import HookLogCore
import Hummingbird

extension HookLogAPI {
    /// `POST /v1/workspaces` and `PATCH /v1/workspaces/{id}`: the admin's.
    func addWorkspaceRoutes(to router: APIRouter<BasicRequestContext>) {
        router.on(.post, "/v1/workspaces") { request, _ in
            try self.requireAdmin(request)
            let body = try JSONObjectReader(try await RequestBodyReader.json(of: request).root)
            let name = try body.string("name")
            guard let plan = try body.optionalPlan("plan") else { throw APIError.invalidField("plan is required") }
            let ownerEmail = try body.string("owner_email")
            let key = WorkspaceKey.make()
            let records = try await self.execute(
                .createWorkspaceWithKey(name: name, plan: plan, ownerEmail: ownerEmail, keyHash: key.hash, hint: key.hint))
            guard case .apiKeyIssued(let issued) = records.last?.record.fact,
                let workspace = self.store.withState({ $0.workspaces[issued.workspaceID] })
            else { throw APIError.unavailable }
            return JSONResponse.make(.created, .object([
                ("workspace", workspace.json),
                ("api_key", .object([("id", .string(issued.keyID.rawValue)), ("key", .string(key.key)), ("hint", .string(key.hint))])),
            ]))
        }
        router.on(.patch, "/v1/workspaces/{id}") { request, context in
            try self.requireAdmin(request)
            let id = WorkspaceID(try context.parameters.require("id"))
            let body = try JSONObjectReader(try await RequestBodyReader.json(of: request).root)
            let plan = try body.optionalPlan("plan")
            let ownerEmail = try body.optionalString("owner_email")
            guard plan != nil || ownerEmail != nil else { throw APIError.invalidField("give plan, owner_email or both") }
            _ = try await self.execute(.changeWorkspace(id, plan: plan, ownerEmail: ownerEmail))
            guard let workspace = self.store.withState({ $0.workspaces[id] }) else { throw APIError.notFound("no workspace \(id)") }
            return JSONResponse.make(.ok, workspace.json)
        }
    }
}
