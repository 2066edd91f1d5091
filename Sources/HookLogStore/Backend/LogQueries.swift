public import HookLogCore

/// The reads the service makes of the log, whichever backend holds it: the LMDB log's ``LogReader`` today, a
/// PostgreSQL log tomorrow (docs/rules.md §5). Each call reads one consistent snapshot of durable records.
public protocol LogQueries: Sendable {
    /// The sequence of the newest record; 0 for an empty log.
    func lastSequence() async throws -> UInt64
    /// Up to `limit` records after sequence `after`, oldest first; only those that concern `workspace` when given.
    func records(after: UInt64, limit: Int, workspace: WorkspaceID?) async throws -> [LoggedRecord]
    /// The record at `sequence`, if there is one.
    func record(at sequence: UInt64) async throws -> LoggedRecord?
    /// The records that concern a webhook, oldest first.
    func records(ofWebhook webhookID: WebhookID) async throws -> [LoggedRecord]
    /// The newest `limit` records that concern a webhook, newest first.
    func latestRecords(ofWebhook webhookID: WebhookID, limit: Int) async throws -> [LoggedRecord]
    /// The event with this id that `workspace` sent, with its `EventReceived` record; nil when it sent none.
    func event(_ id: EventID, in workspace: WorkspaceID) async throws -> ReceivedEvent?
    /// A page of a webhook's event log, newest first (``DeliveryQuery``).
    func deliveries(ofWebhook webhookID: WebhookID, matching query: DeliveryQuery) async throws -> DeliveryPage
    /// One delivery with its attempts and current state; nil when the log has none with this id.
    func delivery(_ id: DeliveryID) async throws -> DeliveryRecord?
    /// A page of the webhook's deliveries dropped or skipped at or after `since` (all when nil), oldest first: those
    /// created by the records after `after` up to `through`, at most `limit` of them looked at.
    func recoverableDeliveries(
        ofWebhook webhookID: WebhookID, since: Timestamp?, after: UInt64, through: UInt64, examining limit: Int
    ) async throws -> RecoverablePage
    /// The audit of one webhook's records (the whole log's when nil) from `since` to `until`, either end open when nil.
    func audit(ofWebhook webhookID: WebhookID?, since: Timestamp?, until: Timestamp?) async throws -> AuditReport
    /// Where history starts once the log has been compacted (docs/rules.md §3.7): before it, finished history may be
    /// gone; nil while the log holds every record.
    func historyStart() async throws -> HistoryStart?
}

extension LogQueries {
    /// Up to `limit` records after sequence `after`, oldest first.
    public func records(after: UInt64, limit: Int) async throws -> [LoggedRecord] {
        try await records(after: after, limit: limit, workspace: nil)
    }

    /// Every recoverable delivery of the webhook (``recoverableDeliveries(ofWebhook:since:after:through:examining:)``),
    /// page after page, up to the log's last record.
    public func recoverableDeliveries(ofWebhook webhookID: WebhookID, since: Timestamp?) async throws -> [DeliveryReference] {
        let through = try await lastSequence()
        var all: [DeliveryReference] = []
        var after: UInt64? = 0
        while let start = after {
            let page = try await recoverableDeliveries(ofWebhook: webhookID, since: since, after: start, through: through, examining: 4_096)
            all += page.deliveries
            after = page.resumeAfter
        }
        return all
    }
}

extension LogReader: LogQueries {}
