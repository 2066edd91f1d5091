/// Something someone asks HookLog to do. ``Decider`` turns a command into the facts it causes, or refuses it.
public enum Command: Hashable, Sendable {
    /// Create a workspace (admin).
    case createWorkspace(name: String, plan: Plan, ownerEmail: String)
    /// Create a workspace and issue its first API key, whose SHA-256 is `keyHash` (admin), in one step.
    case createWorkspaceWithKey(name: String, plan: Plan, ownerEmail: String, keyHash: [UInt8], hint: String)
    /// Change a workspace's plan and/or owner e-mail (admin).
    case changeWorkspace(WorkspaceID, plan: Plan?, ownerEmail: String?)
    /// Issue an API key whose SHA-256 is `keyHash`; refused (409 `limit_reached`) when the workspace already has
    /// `limit` keys (nil: no limit).
    case issueApiKey(WorkspaceID, keyHash: [UInt8], hint: String, limit: Int? = nil)
    /// Revoke an API key; with `sparingLastKey`, refuse (409) to revoke its workspace's last key, which would leave
    /// the workspace without any (a workspace acting on its own keys; the admin may).
    case revokeApiKey(ApiKeyID, sparingLastKey: Bool = false)
    /// Register an endpoint for some event types, its requests in `format`, at most `rateLimit` deliveries a second
    /// (nil: no limit); refused when the workspace already has `limit` webhooks (no limit when nil).
    case createWebhook(
        WorkspaceID, url: String, events: [EventType], format: WebhookFormat = .standard, rateLimit: Int? = nil,
        limit: Int? = nil)
    /// Change a webhook's URL, event types, format and/or rate limit; what is nil stays as it is.
    case updateWebhook(
        WebhookID, url: String?, events: [EventType]?, format: WebhookFormat? = nil, rateLimit: RateLimitChange? = nil)
    /// Delete a webhook.
    case deleteWebhook(WebhookID)
    /// Give a webhook a new secret; the one it replaces keeps signing requests beside it for `overlap` (zero: ends
    /// at once).
    case rotateWebhookSecret(WebhookID, overlap: Duration)
    /// Accept an event from the platform and fan it out.
    case receiveEvent(IncomingEvent)
    /// Record the outcome of an HTTP attempt of a queue's head.
    case recordAttempt(AttemptReport)
    /// Record the outcome of sending a disable e-mail: nil `error` when the mail server accepted it.
    case recordNotification(WebhookID, error: String?)
    /// Record the outcome of sending a workspace's warning e-mail: nil `error` when the mail server accepted it.
    case recordWarningNotification(WorkspaceID, error: String?)
    /// Set the workspace's operations webhook to `url` (docs/rules.md §2.8), keeping its secret if it has one.
    case setOperationsWebhook(WorkspaceID, url: String)
    /// Remove the workspace's operations webhook, discarding the messages it has not been sent.
    case removeOperationsWebhook(WorkspaceID)
    /// Record what one attempt at the head of a workspace's operations queue came to.
    case recordOperationsAttempt(OperationsAttemptReport)
    /// Re-enable a disabled webhook, optionally queueing again what was skipped meanwhile.
    case enableWebhook(WebhookID, recover: Bool)
    /// Queue again deliveries that were dropped or skipped, in this order; those already queued, and repeats, are left
    /// out. They are recorded ``DeliveriesRecovered/maxDeliveries`` per record, in as many records as it takes.
    case recoverDeliveries(WebhookID, [DeliveryReference])
    /// Send a delivery's event to its webhook again, as a new delivery.
    case redeliver(WebhookID, original: DeliveryID, eventID: EventID, eventType: EventType, eventSequence: UInt64)
    /// Cut the log's history at `through`, the last record older than `before` (the store's compaction): skipped
    /// deliveries beyond their windows that expire are counted by ``prepared(against:reading:)``.
    case compactHistory(through: UInt64, before: Timestamp, expiredBeyondWindows: [HistoryCompacted.ExpiredSkips] = [])
}

/// An event as the platform sends it.
public struct IncomingEvent: Hashable, Sendable {
    public var workspaceID: WorkspaceID
    /// The client's id for the event; generated when nil.
    public var eventID: EventID?
    public var type: EventType
    /// When it happened on the platform; the time of receipt when nil.
    public var occurredAt: Timestamp?
    /// The `data` JSON object, as text.
    public var data: [UInt8]
    public var idempotencyKey: String?

    public init(
        workspaceID: WorkspaceID, eventID: EventID? = nil, type: EventType, occurredAt: Timestamp? = nil,
        data: [UInt8], idempotencyKey: String? = nil
    ) {
        self.workspaceID = workspaceID
        self.eventID = eventID
        self.type = type
        self.occurredAt = occurredAt
        self.data = data
        self.idempotencyKey = idempotencyKey
    }
}

/// What one HTTP attempt of a delivery came to.
public struct AttemptReport: Hashable, Sendable {
    /// The answer: a status code, or the error that stood in for one.
    public enum Outcome: Hashable, Sendable {
        case status(Int)
        case error(AttemptError)
    }

    public var webhookID: WebhookID
    public var deliveryID: DeliveryID
    public var startedAt: Timestamp
    public var durationMilliseconds: Int
    public var outcome: Outcome
    /// The start of the response body, at most 1 KiB.
    public var responseSnippet: String

    public init(
        webhookID: WebhookID, deliveryID: DeliveryID, startedAt: Timestamp, durationMilliseconds: Int,
        outcome: Outcome, responseSnippet: String = ""
    ) {
        self.webhookID = webhookID
        self.deliveryID = deliveryID
        self.startedAt = startedAt
        self.durationMilliseconds = durationMilliseconds
        self.outcome = outcome
        self.responseSnippet = responseSnippet
    }
}

/// What one HTTP attempt of a message to a workspace's operations webhook came to.
public struct OperationsAttemptReport: Hashable, Sendable {
    public var workspaceID: WorkspaceID
    /// The message's id (`op_…`).
    public var messageID: String
    public var startedAt: Timestamp
    public var durationMilliseconds: Int
    public var outcome: AttemptReport.Outcome
    /// The start of the response body, at most 1 KiB.
    public var responseSnippet: String

    public init(
        workspaceID: WorkspaceID, messageID: String, startedAt: Timestamp, durationMilliseconds: Int,
        outcome: AttemptReport.Outcome, responseSnippet: String = ""
    ) {
        self.workspaceID = workspaceID
        self.messageID = messageID
        self.startedAt = startedAt
        self.durationMilliseconds = durationMilliseconds
        self.outcome = outcome
        self.responseSnippet = responseSnippet
    }
}
