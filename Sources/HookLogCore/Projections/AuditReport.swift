/// Failures per endpoint by class and status code, and the history of disables and enables: what the audit shows.
///
/// The state keeps one per webhook, counted as records are folded (``HookLogState/audits``), so a webhook's audit
/// reads no history; an audit of a time range, or of the whole log, folds the records of the range.
public struct AuditReport: Hashable, Codable, Sendable {
    /// One webhook's attempts and failures.
    public struct Endpoint: Hashable, Codable, Sendable {
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
    public struct StatusChange: Hashable, Codable, Sendable {
        public enum Kind: Hashable, Codable, Sendable {
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

extension Fact {
    /// The webhook whose audit counts this fact (``AuditReport/apply(_:)``); nil for a fact the audit does not count.
    var auditedWebhook: WebhookID? {
        switch self {
        case .attemptSucceeded(let fact): fact.webhookID
        case .attemptFailed(let fact): fact.webhookID
        case .deliveryDropped(let fact): fact.webhookID
        case .deliverySkipped(let fact): fact.webhookID
        case .webhookDisabled(let fact): fact.webhookID
        case .webhookEnabled(let fact): fact.webhookID
        case .notificationSent(let fact): fact.webhookID
        case .notificationFailed(let fact): fact.webhookID
        default: nil
        }
    }
}

extension HookLogState {
    /// Counts `record` in the audit of the webhook it is about (``audits``), when the audit counts it and the state
    /// knows the webhook: what ``evolve(_:)`` does with every record, and what a store does once with the records
    /// before a checkpoint written before the state kept audits.
    ///
    /// A webhook has an audit only while the state knows it (the audit is made here and goes with the webhook), so a
    /// record of a webhook with an audit is counted in one lookup; only a webhook's first audited record looks the
    /// webhook up.
    public mutating func countInAudit(_ record: Record) {
        guard let webhookID = record.fact.auditedWebhook else { return }
        // Applied where the dictionary stores it: `audits[id]?.apply` goes through an Optional copy of the report.
        if let index = audits.index(forKey: webhookID) {
            audits.values[index].apply(record)
            return
        }
        guard webhooks.keys.contains(webhookID) else { return }
        var audit = AuditReport()
        audit.apply(record)
        audits[webhookID] = audit
    }
}
