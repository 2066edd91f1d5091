import HookLogCore
import Hummingbird

/// Who may use a group of routes, once authenticated: 403 `forbidden` for the wrong kind of key, 403
/// `plan_required` for a workspace whose plan does not include webhooks (docs/rules.md §4).
struct AccessMiddleware: RouterMiddleware {
    /// The rule a group of routes is under.
    enum Rule: Sendable {
        /// The admin key only: managing workspaces.
        case admin
        /// A workspace's own key (or session), not the admin key.
        case workspace
        /// A workspace whose plan allows webhooks.
        case webhooks
    }

    let rule: Rule

    init(_ rule: Rule) {
        self.rule = rule
    }

    func handle(
        _ request: Request, context: HookLogRequestContext,
        next: (Request, HookLogRequestContext) async throws -> Response
    ) async throws -> Response {
        try check(context.principal)
        return try await next(request, context)
    }

    private func check(_ principal: Principal?) throws(APIError) {
        switch (rule, principal) {
        case (_, nil):
            throw .unauthorized
        case (.admin, .admin):
            return
        case (.admin, .workspace):
            throw .forbidden("this route manages workspaces and needs the admin key")
        case (.workspace, .admin), (.webhooks, .admin):
            throw .forbidden("this route acts for a workspace and needs one of its API keys (hk_…), not the admin key")
        case (.workspace, .workspace):
            return
        case (.webhooks, .workspace(let workspace)):
            try workspace.requireWebhooks()
        }
    }
}

extension Workspace {
    /// Refuses, with 403 `plan_required`, a workspace whose plan does not include webhooks.
    func requireWebhooks() throws(APIError) {
        guard plan.allowsWebhooks else {
            throw APIError(
                .forbidden, "plan_required", "webhooks need the advanced plan or higher; this workspace is on \(plan.rawValue)")
        }
    }
}
