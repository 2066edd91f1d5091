import HookLogCore
import Hummingbird

/// The API's `OperationsWebhook`, secret included: only the owning workspace ever sees it. Besides its settings it
/// tells how delivery to it fares: the messages waiting, the next attempt, the latest attempt and the drops.
struct OperationsWebhookJSON: ResponseEncodable {
    let webhook: OperationsWebhook

    private enum CodingKeys: String, CodingKey {
        case url, secret
        case workspaceID = "workspace_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case pendingMessages = "pending_messages"
        case nextAttemptAt = "next_attempt_at"
        case droppedMessages = "dropped_messages"
        case lastAttempt = "last_attempt"
    }

    func encode(to encoder: any Encoder) throws {
        var fields = encoder.container(keyedBy: CodingKeys.self)
        try fields.encode(webhook.workspaceID.rawValue, forKey: .workspaceID)
        try fields.encode(webhook.url, forKey: .url)
        try fields.encode(webhook.secret, forKey: .secret)
        try fields.encode(webhook.createdAt.rfc3339, forKey: .createdAt)
        try fields.encode(webhook.updatedAt.rfc3339, forKey: .updatedAt)
        try fields.encode(webhook.messages.count, forKey: .pendingMessages)
        try fields.encode(webhook.head?.nextAttemptAt.rfc3339, forKey: .nextAttemptAt)
        try fields.encode(webhook.droppedMessages, forKey: .droppedMessages)
        try fields.encode(webhook.lastAttempt.map(OperationsAttemptJSON.init), forKey: .lastAttempt)
    }
}

/// An attempt at an operations webhook: which message, which attempt of it, when, how long, and how it ended.
struct OperationsAttemptJSON: Encodable {
    let attempt: OperationsAttempt

    private enum CodingKeys: String, CodingKey {
        case number, error, succeeded
        case messageID = "message_id"
        case startedAt = "started_at"
        case durationMilliseconds = "duration_ms"
        case statusCode = "status_code"
    }

    func encode(to encoder: any Encoder) throws {
        var fields = encoder.container(keyedBy: CodingKeys.self)
        try fields.encode(attempt.messageID, forKey: .messageID)
        try fields.encode(attempt.number, forKey: .number)
        try fields.encode(attempt.startedAt.rfc3339, forKey: .startedAt)
        try fields.encode(attempt.durationMilliseconds, forKey: .durationMilliseconds)
        try fields.encode(attempt.statusCode, forKey: .statusCode)
        try fields.encode(attempt.error, forKey: .error)
        try fields.encode(attempt.succeeded, forKey: .succeeded)
    }
}
