import HookLogCore
import HookLogDelivery
import Hummingbird

/// The API's `Webhook`, secret included: only the owning workspace ever sees it.
struct WebhookJSON: ResponseEncodable {
    let webhook: Webhook

    private enum CodingKeys: String, CodingKey {
        case id, url, events, secret, status, format
        case signingKey = "signing_key"
        case rateLimit = "rate_limit"
        case workspaceID = "workspace_id"
        case disabledReason = "disabled_reason"
        case disabledAt = "disabled_at"
        case createdAt = "created_at"
        case previousSecretExpiresAt = "previous_secret_expires_at"
    }

    func encode(to encoder: any Encoder) throws {
        var fields = encoder.container(keyedBy: CodingKeys.self)
        try fields.encode(webhook.id.rawValue, forKey: .id)
        try fields.encode(webhook.workspaceID.rawValue, forKey: .workspaceID)
        try fields.encode(webhook.url, forKey: .url)
        try fields.encode(webhook.events.map(\.rawValue), forKey: .events)
        try fields.encode(webhook.secret, forKey: .secret)
        try fields.encode(webhook.format.rawValue, forKey: .format)
        if webhook.format == .respondio {
            try fields.encode(String(WebhookSigner.signingKey(of: webhook.secret)), forKey: .signingKey)
        }
        try fields.encode(webhook.rateLimit, forKey: .rateLimit)
        try fields.encode(webhook.status.rawValue, forKey: .status)
        try fields.encode(webhook.disabledReason, forKey: .disabledReason)
        try fields.encode(webhook.disabledAt?.rfc3339, forKey: .disabledAt)
        try fields.encode(webhook.createdAt.rfc3339, forKey: .createdAt)
        try fields.encode(webhook.previousSecretEndsAt?.rfc3339, forKey: .previousSecretExpiresAt)
    }
}

/// The answer to enabling a webhook: the webhook as it is now, and how many skipped deliveries were queued again.
struct EnabledWebhookJSON: ResponseEncodable {
    let webhook: WebhookJSON
    let recovered: Int
}

/// The answer to recovering a webhook's dropped or skipped deliveries: how many, and which.
struct RecoveredDeliveriesJSON: ResponseEncodable {
    /// The most delivery ids an answer lists; `recovered` counts them all.
    static let listedLimit = 4_096

    let recovered: Int
    /// The ids of the first ``listedLimit`` deliveries queued again, in order.
    let deliveries: [String]
}

/// A page of a list: `{"data": [...], "next_cursor": ...}`.
struct PageJSON<Item: Encodable & Sendable>: ResponseEncodable {
    let data: [Item]
    let nextCursor: String?

    private enum CodingKeys: String, CodingKey {
        case data
        case nextCursor = "next_cursor"
    }

    func encode(to encoder: any Encoder) throws {
        var fields = encoder.container(keyedBy: CodingKeys.self)
        try fields.encode(data, forKey: .data)
        try fields.encode(nextCursor, forKey: .nextCursor)
    }
}
