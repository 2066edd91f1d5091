/// The limits that keep one workspace of a shared service from taking more than its share (docs/operations.md,
/// "Limits for many tenants"), where the state decides them.
public enum WorkspaceLimits {
    /// "Webhooks per workspace": a workspace with `limit` webhooks or more may not create another (409
    /// `limit_reached`). Deleted webhooks do not count, and a workspace that has more than the limit (it was lowered
    /// since) keeps them all: only creating is refused.
    public static func checkWebhookCount(of workspace: Workspace, limit: Int) throws(DecisionError) {
        let count = workspace.webhookIDs.count
        guard count >= limit else { return }
        throw DecisionError(
            .limitReached,
            "workspace \(workspace.id) has \(count) webhooks and the limit is \(limit) per workspace "
                + "(--max-webhooks-per-workspace \(limit)); delete one before adding another, or ask the operator to raise the limit")
    }
}
