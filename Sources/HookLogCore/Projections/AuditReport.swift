/// Failures per endpoint by class and status code, and the history of disables and enables: what the audit shows.
public struct AuditReport: Hashable, Sendable {
    /// One webhook's attempts and failures.
    public struct Endpoint: Hashable, Sendable {
        public var webhookID: WebhookID
        public var attempts = 0
        public var failures = 0
        /// Failures by class: `http_5xx`, `timeout`, `connection`, …
        public var failuresByClass: [String: Int] = [:]
        /// Failures that had an HTTP status, by status code.
        public var failuresByStatus: [Int: Int] = [:]
        public var dropped = 0
        public var skipped = 0
    }

    /// A webhook's status changing.
    public struct StatusChange: Hashable, Sendable {
        public enum Kind: Hashable, Sendable {
            case disabled(reason: String, errorCount: Int)
            case enabled(recover: Bool)
            case notified(recipient: String)
            case notificationFailed(error: String)
        }

        public var at: Timestamp
        public var webhookID: WebhookID
        public var kind: Kind
    }

    /// Only records at or after this time count.
    public let since: Timestamp?
    public private(set) var endpoints: [WebhookID: Endpoint] = [:]
    public private(set) var statusChanges: [StatusChange] = []

    /// An empty report counting records from `since` on.
    public init(since: Timestamp? = nil) {
        self.since = since
    }

    /// Folds one record in.
    public mutating func apply(_ record: Record) {
        if let since, record.at < since { return }
        switch record.fact {
        case .attemptSucceeded(let fact):
            endpoints[fact.webhookID, default: Endpoint(webhookID: fact.webhookID)].attempts += 1
        case .attemptFailed(let fact):
            update(fact.webhookID) { endpoint in
                endpoint.attempts += 1
                endpoint.failures += 1
                endpoint.failuresByClass[fact.failure.failureClass, default: 0] += 1
                if case .status(let code) = fact.failure { endpoint.failuresByStatus[code, default: 0] += 1 }
            }
        case .deliveryDropped(let fact):
            update(fact.webhookID) { $0.dropped += 1 }
        case .deliverySkipped(let fact):
            update(fact.webhookID) { $0.skipped += 1 }
        case .webhookDisabled(let fact):
            update(fact.webhookID) { $0.skipped += fact.skippedDeliveries ?? 0 }
            statusChanges.append(StatusChange(
                at: record.at, webhookID: fact.webhookID, kind: .disabled(reason: fact.reason, errorCount: fact.errorCount)))
        case .webhookEnabled(let fact):
            statusChanges.append(StatusChange(at: record.at, webhookID: fact.webhookID, kind: .enabled(recover: fact.recover)))
        case .notificationSent(let fact):
            statusChanges.append(StatusChange(at: record.at, webhookID: fact.webhookID, kind: .notified(recipient: fact.recipient)))
        case .notificationFailed(let fact):
            statusChanges.append(StatusChange(at: record.at, webhookID: fact.webhookID, kind: .notificationFailed(error: fact.error)))
        default:
            break
        }
    }

    private mutating func update(_ webhookID: WebhookID, _ change: (inout Endpoint) -> Void) {
        change(&endpoints[webhookID, default: Endpoint(webhookID: webhookID)])
    }
}
