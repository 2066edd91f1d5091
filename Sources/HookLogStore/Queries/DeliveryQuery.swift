public import HookLogCore

/// Which of a webhook's deliveries one page of its event log shows (`GET /v1/webhooks/{id}/deliveries`).
public struct DeliveryQuery: Hashable, Sendable {
    /// The most deliveries a page holds.
    public static let maxLimit = 500

    /// Only deliveries in this state now.
    public var status: DeliveryState?
    /// Only deliveries of events of this type.
    public var type: EventType?
    /// Only deliveries created at or after this time.
    public var since: Timestamp?
    /// Only deliveries created at or before this time.
    public var until: Timestamp?
    /// Only deliveries whose event data holds this text as the whole text of a string or number (``DataSearch``),
    /// found through the search index.
    public var text: String?
    /// Only deliveries older than this cursor, a previous page's ``DeliveryPage/nextCursor``: the sequence of the
    /// record where that page stopped, not included. Nil for the first page.
    public var before: UInt64?
    /// The most deliveries the page holds, 1 to ``maxLimit``; other values are clamped.
    public var limit: Int
    /// The most deliveries one page examines, which bounds its work when a selective filter matches few: such a page
    /// may hold fewer than `limit` deliveries, or none, and still have a next cursor. A search examines every record
    /// the search index lists under its text, those of the workspace's other webhooks included.
    public var scanLimit: Int

    /// A query; every filter is off unless given.
    public init(
        status: DeliveryState? = nil, type: EventType? = nil, since: Timestamp? = nil, until: Timestamp? = nil,
        text: String? = nil, before: UInt64? = nil, limit: Int = 50, scanLimit: Int = 1_000
    ) {
        self.status = status
        self.type = type
        self.since = since
        self.until = until
        self.text = text
        self.before = before
        self.limit = limit
        self.scanLimit = scanLimit
    }
}

/// One page of a webhook's event log, newest first.
public struct DeliveryPage: Hashable, Sendable {
    /// The matching deliveries, newest first, each with its attempts and current state.
    public var deliveries: [DeliveryRecord]
    /// The next page's ``DeliveryQuery/before``; nil when no older delivery matches.
    public var nextCursor: UInt64?
}
