import HookLogCore

/// Where a page of webhooks ends: the last one's creation time and id, the order pages are listed in; it stays valid
/// when that webhook is deleted.
struct WebhookCursor: Comparable {
    let createdAt: Int64
    let id: String

    init(_ webhook: Webhook) {
        (createdAt, id) = (webhook.createdAt.milliseconds, webhook.id.rawValue)
    }

    init?(_ text: String) {
        let parts = text.split(separator: ".", maxSplits: 1)
        guard parts.count == 2, let createdAt = Int64(parts[0]) else { return nil }
        (self.createdAt, id) = (createdAt, String(parts[1]))
    }

    var text: String { "\(createdAt).\(id)" }

    static func < (lhs: Self, rhs: Self) -> Bool { (lhs.createdAt, lhs.id) < (rhs.createdAt, rhs.id) }
}
