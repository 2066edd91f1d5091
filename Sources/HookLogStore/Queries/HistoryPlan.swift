import HookLogCore

/// What a history of a webhook, an event or a delivery (`hooklog history`) folds, worked out from the records its
/// index lists under the subject: for an event or a delivery, the records that came after and changed its deliveries
/// too. Every backend's reader looks those up in its own indexes and hands them back (``history(adding:)``).
struct HistoryPlan {
    private let subject: DeliveryHistory.Subject
    private let listed: [LoggedRecord]

    /// For each webhook of the subject's deliveries, the record that created its first one: the webhook's disables and
    /// enables after it (the queue index) changed those deliveries. Empty for a webhook's history, which lists them.
    private(set) var webhooks: [WebhookID: UInt64] = [:]
    /// For an event, each of its deliveries with the record that created it: what befell the delivery after, the
    /// delivery index lists (the event index lists only the records that bring the event or a delivery of it).
    private(set) var deliveries: [(id: DeliveryID, createdAt: UInt64)] = []

    /// The plan for `subject`, from the records its index lists under it, oldest first.
    init(of subject: DeliveryHistory.Subject, listed: [LoggedRecord]) {
        self.subject = subject
        self.listed = listed
        if case .webhook = subject { return }
        for entry in listed {
            for delivery in LogReader.deliveries(createdBy: entry, of: subject) {
                if webhooks[delivery.webhookID] == nil { webhooks[delivery.webhookID] = entry.sequence }
                if case .event = subject { deliveries.append((delivery.deliveryID, entry.sequence)) }
            }
        }
    }

    /// The sequences of `more` that the listed records do not already hold: those the reader reads.
    func unlisted(_ more: Set<UInt64>) -> [UInt64] {
        more.subtracting(listed.map(\.sequence)).sorted()
    }

    /// The history folded from the listed records and `more`, the records the reader found that ``unlisted(_:)`` named.
    func history(adding more: [LoggedRecord]) -> DeliveryHistory {
        var history = DeliveryHistory(of: subject)
        for entry in (listed + more).sorted(by: { $0.sequence < $1.sequence }) { history.apply(entry) }
        return history
    }
}
