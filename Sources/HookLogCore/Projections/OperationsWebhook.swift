public import DequeModule

/// A workspace's operations webhook (docs/rules.md §2.8): where HookLog POSTs the workspace's own events, signed with
/// its own secret, and the queue of messages not yet delivered, sent first in, first out, one at a time.
public struct OperationsWebhook: Hashable, Codable, Sendable {
    /// The most messages its queue holds: a message that finds it full drops the oldest one waiting behind the one
    /// being sent (``OperationsMessageDropped/Reason/queueFull``), so a dead endpoint cannot grow memory without end.
    public static let maxQueuedMessages = 100

    public var workspaceID: WorkspaceID
    public var url: String
    /// The secret (`whsec_…`) its messages are signed with; a new URL keeps it.
    public var secret: String
    /// When it was first set.
    public var createdAt: Timestamp
    /// When its URL was last set.
    public var updatedAt: Timestamp
    /// The messages not yet delivered, oldest first; only the first is attempted.
    public var messages: Deque<OperationsMessage> = []
    /// Its latest attempt, to show how the endpoint fares.
    public var lastAttempt: OperationsAttempt?
    /// Messages given up since it was set.
    public var droppedMessages = 0
    /// The workspace's latest failed delivery attempt, which a `delivery.dropped` or `error_budget.warning` message
    /// tells of.
    public var lastFailure: FailedAttempt?

    /// An operations webhook set at `at`, with nothing queued.
    public init(workspaceID: WorkspaceID, url: String, secret: String, at: Timestamp) {
        self.workspaceID = workspaceID
        self.url = url
        self.secret = secret
        createdAt = at
        updatedAt = at
    }

    /// The message to attempt next.
    public var head: OperationsMessage? { messages.first }

    /// Gives the message at the head a fresh start at `at` at a new URL: the attempts and the retry delay of the
    /// old URL do not carry over.
    mutating func restartHead(at: Timestamp) {
        guard !messages.isEmpty else { return }
        messages[messages.startIndex].attempts = 0
        messages[messages.startIndex].nextAttemptAt = at
    }

    /// Takes the message `id` out of the queue.
    mutating func remove(_ id: String) {
        messages.removeAll { $0.id == id }
    }
}

/// One attempt at an operations webhook, as its `GET` shows the latest.
public struct OperationsAttempt: Hashable, Codable, Sendable {
    public var messageID: String
    public var number: Int
    public var startedAt: Timestamp
    public var durationMilliseconds: Int
    /// The HTTP status, when there was an answer.
    public var statusCode: Int?
    /// The failure class of an attempt that got no answer (`timeout`, `connection`, …).
    public var error: String?
    /// Whether it succeeded.
    public var succeeded: Bool
}

/// A failed delivery attempt, as an operations message describes it.
public struct FailedAttempt: Hashable, Codable, Sendable {
    public var webhookID: WebhookID
    public var deliveryID: DeliveryID
    public var number: Int
    public var startedAt: Timestamp
    public var failure: AttemptFailure
    public var responseSnippet: String

    /// The failure `fact` records.
    public init(_ fact: AttemptFailed) {
        webhookID = fact.webhookID
        deliveryID = fact.deliveryID
        number = fact.number
        startedAt = fact.startedAt
        failure = fact.failure
        responseSnippet = fact.responseSnippet
    }
}
