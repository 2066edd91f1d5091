public import DequeModule

/// A workspace's failed attempts in the trailing error window (docs/rules.md §2.4), shared by all its webhooks.
public struct ErrorWindow: Hashable, Codable, Sendable {
    /// The times of the failures still inside the window, oldest first.
    public private(set) var failures: Deque<Timestamp> = []

    /// An empty window: how an enable starts a fresh one (§2.6).
    public init() {}

    /// The failures that count at `now`: those later than `now` minus the window.
    public func count(at now: Timestamp, window: Duration) -> Int {
        let horizon = now.adding(.zero - window)
        var count = 0
        for failure in failures.reversed() where failure > horizon { count += 1 }
        return count
    }

    /// Adds a failure at `at` and forgets those that fell out of the window by then.
    mutating func record(_ at: Timestamp, window: Duration) {
        failures.append(at)
        let horizon = at.adding(.zero - window)
        while let oldest = failures.first, oldest <= horizon { failures.removeFirst() }
    }
}

/// A disable e-mail that has not yet been accepted by the mail server.
public struct PendingNotification: Hashable, Codable, Sendable {
    public var webhookID: WebhookID
    public var recipient: String
    /// When the webhook was disabled.
    public var disabledAt: Timestamp
    /// Sending tries that failed so far.
    public var failedAttempts: Int
    /// When to try again.
    public var nextAttemptAt: Timestamp
}
