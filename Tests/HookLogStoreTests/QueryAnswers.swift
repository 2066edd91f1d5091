import HookLogCore
import HookLogStore
import Testing

/// What a log's queries (``LogQueries``, whichever backend answers them) say about every workspace, webhook, event
/// and delivery of a state, as text, to compare two logs that hold the same records.
struct QueryAnswers {
    var lines: [String] = []
    /// The audits, compared as values: their dictionaries print in no fixed order.
    var audits: [AuditReport] = []

    /// Records an issue for the first answer that differs from `expected`'s.
    func expectSame(as expected: QueryAnswers, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(lines.count == expected.lines.count, sourceLocation: sourceLocation)
        #expect(audits == expected.audits, sourceLocation: sourceLocation)
        if let (line, wanted) = zip(lines, expected.lines).first(where: { $0 != $1 }) {
            Issue.record("answered \(line)\nexpected \(wanted)", sourceLocation: sourceLocation)
        }
    }

    /// Asks `queries` about everything `state` (the log folded) holds; `middle` is a time inside the log's span.
    init(of queries: any LogQueries, state: HookLogState, middle: Timestamp) async throws {
        let last = try await queries.lastSequence()
        lines.append("last \(last)")
        lines.append("all \(try await queries.records(after: 0, limit: .max).map(\.sequence))")
        for workspace in state.workspaces.keys.sorted() {
            lines.append("raw log \(workspace): \(try await queries.records(after: 40, limit: 50, workspace: workspace).map(\.sequence))")
            lines.append("whole raw log \(workspace): \(try await queries.records(after: 0, limit: .max, workspace: workspace).map(\.sequence))")
        }
        for webhook in state.webhooks.keys.sorted() {
            lines.append("webhook \(webhook): \(try await queries.records(ofWebhook: webhook).map(\.sequence))")
            lines.append("latest \(webhook): \(try await queries.latestRecords(ofWebhook: webhook, limit: 7).map(\.sequence))")
            var after: UInt64? = 0
            while let start = after {
                let page = try await queries.recoverableDeliveries(
                    ofWebhook: webhook, since: nil, after: start, through: last, examining: 5)
                lines.append("recoverable \(webhook) after \(start): \(page.deliveries), then \(String(describing: page.resumeAfter))")
                after = page.resumeAfter
            }
            audits.append(try await queries.audit(ofWebhook: webhook, since: nil, until: nil))
            audits.append(try await queries.audit(ofWebhook: webhook, since: middle, until: middle.adding(.seconds(5))))
            let searches = [
                DeliveryQuery(limit: 10), DeliveryQuery(limit: 7, scanLimit: 20), DeliveryQuery(status: .dropped),
                DeliveryQuery(status: .succeeded, type: .contactCreated), DeliveryQuery(since: middle),
                DeliveryQuery(until: middle), DeliveryQuery(text: "Ada"), DeliveryQuery(text: "Bob"),
            ]
            for var search in searches {
                repeat {
                    let page = try await queries.deliveries(ofWebhook: webhook, matching: search)
                    lines.append("deliveries \(webhook) \(search): \(page.deliveries), then \(String(describing: page.nextCursor))")
                    search.before = page.nextCursor
                } while search.before != nil
            }
        }
        audits.append(try await queries.audit(ofWebhook: nil, since: nil, until: nil))
        audits.append(try await queries.audit(ofWebhook: nil, since: middle, until: nil))
        for entry in try await queries.records(after: 0, limit: .max) {
            guard case .eventReceived(let fact) = entry.record.fact else { continue }
            lines.append("event \(fact.eventID): \(String(describing: try await queries.event(fact.eventID, in: fact.workspaceID)))")
            for delivery in fact.deliveries {
                lines.append("delivery \(delivery.deliveryID): \(String(describing: try await queries.delivery(delivery.deliveryID)))")
            }
        }
        lines.append("history start \(String(describing: try await queries.historyStart()))")
    }
}
