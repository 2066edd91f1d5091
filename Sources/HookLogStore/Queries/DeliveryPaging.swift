import HookLogCore

/// A page of a webhook's event log taking shape (``LogQueries/deliveries(ofWebhook:matching:)``): a backend hands it
/// the records that create deliveries, newest first from ``start(lastAtOrBeforeUntil:)``, each through
/// ``admit(_:)`` then ``include(_:at:)``, until it says to stop.
struct DeliveryPaging {
    let webhookID: WebhookID
    let query: DeliveryQuery
    /// The search text, as bytes.
    let text: [UInt8]?
    private let limit: Int
    private var examined = 0
    private var lastIncluded: UInt64 = 0
    private var isOver = false
    /// The page so far.
    private(set) var page = DeliveryPage(deliveries: [], nextCursor: nil)

    /// A page of `webhookID`'s deliveries that match `query`.
    init(of webhookID: WebhookID, matching query: DeliveryQuery) {
        self.webhookID = webhookID
        self.query = query
        text = query.text.map { Array($0.utf8) }
        limit = min(max(query.limit, 1), DeliveryQuery.maxLimit)
    }

    /// The sequence to scan back from, given the last record at or before the query's `until` (nil when it has
    /// one and no record is that old); nil when the page is empty whatever the log holds.
    func start(lastAtOrBeforeUntil last: UInt64?) -> UInt64? {
        guard query.before != 0 else { return nil }
        let start = query.before.map { $0 - 1 } ?? .max
        guard query.until != nil else { return start }
        return last.map { min(start, $0) }
    }

    /// Takes the record `entry`, which creates deliveries: returns the delivery it created when the query's type and
    /// `until` admit it, for the caller to check against the search text (``text``) and fold to its current state
    /// before ``include(_:at:)``; nil when they do not, or when `entry` comes before `since`, which ends the scan.
    mutating func admit(_ entry: LoggedRecord) -> DeliveryRecord? {
        if let since = query.since, entry.record.at < since {
            isOver = true
            return nil
        }
        examined += 1
        guard let created = LogReader.deliveries(createdBy: entry, of: .webhook(webhookID)).first,
              query.type.map({ $0 == created.eventType }) ?? true,
              query.until.map({ created.createdAt <= $0 }) ?? true
        else { return nil }
        return created
    }

    /// Ends the record at `sequence` that ``admit(_:)`` took: puts `delivery` on the page, when there is one (folded,
    /// its event holding the text) and its state is the query's. Returns whether the scan goes on.
    mutating func include(_ delivery: DeliveryRecord?, at sequence: UInt64) -> Bool {
        guard !isOver else { return false }
        if let delivery, query.status.map({ $0 == delivery.state }) ?? true {
            guard page.deliveries.count < limit else {
                page.nextCursor = lastIncluded
                return false
            }
            page.deliveries.append(delivery)
            lastIncluded = sequence
        }
        guard examined < query.scanLimit else {
            page.nextCursor = page.deliveries.count == limit ? lastIncluded : sequence
            return false
        }
        return true
    }
}
