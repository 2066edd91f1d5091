import Foundation
import HookLogCore
import HookLogDelivery
import HookLogStore
import Hummingbird

/// `GET /webhooks/{id}` (the event log), `GET /deliveries/{id}` and `POST /deliveries/{id}/redeliver`.
struct DashboardLogController<C: Clock<Duration>>: Sendable where C.Instant == Timestamp {
    /// How many deliveries a page of the event log shows.
    static var pageSize: Int { 25 }
    /// How many of a webhook's latest records the chart reads at most.
    static var chartRecordLimit: Int { 20_000 }

    let actions: WebhookActions<C>
    let dashboard: Dashboard
    var log: LogService<C> { actions.log }

    /// Adds the delivery page to `pages`, the event log to `webhookPages` and redelivery to `webhookForms`.
    func addRoutes(
        pages: RouterGroup<HookLogRequestContext>, webhookPages: RouterGroup<HookLogRequestContext>,
        webhookForms: RouterGroup<HookLogRequestContext>
    ) {
        webhookPages.get("/webhooks/{id}", use: eventLog)
        pages.get("/deliveries/{id}", use: delivery)
        webhookForms.post("/deliveries/{id}/redeliver", use: redeliver)
    }

    /// A webhook's deliveries newest first, filtered and paged as the query asks, with the chart of its last hour.
    @Sendable func eventLog(_ request: Request, context: HookLogRequestContext) async throws -> Response {
        let signedIn = try context.browser
        let webhook = try log.webhook(try context.parameters.require("id"), of: signedIn.workspace)
        let query = QueryReader(request)
        let status = try query.string("status").map { text throws(APIError) in
            guard let state = DeliveryState(rawValue: text) else { throw APIError.invalidField("status: '\(text)' is not a delivery state") }
            return state
        }
        let type = try query.string("type").map { text throws(APIError) in
            try APIError.check { () throws(DecisionError) in try EventType.parse(text) }
        }
        let since = try DashboardView.parseTime(query.string("since"), field: "since")
        let until = try DashboardView.parseTime(query.string("until"), field: "until")
        if let since, let until, since > until { throw APIError.invalidField("since must not be after until") }
        let text = try query.searchText(blankIsAbsent: true)
        let page = try await log.store.queries.deliveries(
            ofWebhook: webhook.id,
            matching: DeliveryQuery(
                status: status, type: type, since: since, until: until, text: text, before: try query.cursor("before"),
                limit: Self.pageSize))
        var filters = URLComponents()
        filters.queryItems = [("status", status?.rawValue), ("type", type?.rawValue), ("since", query.string("since")),
                              ("until", query.string("until")), ("q", text)]
            .compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } }
        // A plus sign in the search stays one: `q` is read as a form encodes it, where `+` is a space.
        let encodedFilters = filters.percentEncodedQuery?.replacing("+", with: "%2B") ?? ""
        let base = "/webhooks/\(webhook.id.rawValue)?" + encodedFilters
        let now = log.clock.now
        var chart = AttemptChart(now: now)
        let hourAgo = now.advanced(by: .seconds(-3600))
        for entry in try await log.store.queries.latestRecords(ofWebhook: webhook.id, limit: Self.chartRecordLimit) {
            if entry.record.at < hourAgo { break }
            chart.count(entry.record)
        }
        return dashboard.page("event-log", title: "Event log — \(webhook.url)", signedIn: signedIn, [
            "webhook": DashboardView.webhook(webhook),
            "notice": (query.string("notice") == "saved" ? "Settings saved." : nil) as Any,
            "deliveries": page.deliveries.map(DashboardView.delivery), "hasDeliveries": !page.deliveries.isEmpty,
            "statuses": DeliveryState.allCases.map { ["value": $0.rawValue, "selected": $0 == status] },
            "types": EventCatalogue.entries.map { ["value": $0.type.rawValue, "label": $0.label, "selected": $0.type == type] },
            "since": DashboardView.localInput(since), "until": DashboardView.localInput(until), "search": text ?? "",
            "olderURL": page.nextCursor.map { base + "&before=\($0)" } as Any,
            "newestURL": (query.string("before") == nil ? nil : base) as Any,
            "chart": chart.svg, "successCount": chart.successCount, "failureCount": chart.failureCount,
        ])
    }

    /// One delivery: its attempts, the body its webhook's format gives the event (the format an attempt used is not
    /// recorded), and the headers that sign it.
    @Sendable func delivery(_ request: Request, context: HookLogRequestContext) async throws -> Response {
        let signedIn = try context.browser
        let delivery = try await log.delivery(try context.parameters.require("id"), of: signedIn.workspace)
        let event = try await log.event(of: delivery)
        let webhook = try? log.webhook(delivery.webhookID.rawValue, of: signedIn.workspace)
        let body = event.map { WebhookPayload.body(of: $0, format: webhook?.format ?? .standard) } ?? []
        let timestamp = delivery.attempts.last.map { String($0.startedAt.seconds) }
        return dashboard.page("delivery", title: "Delivery \(delivery.deliveryID.rawValue)", signedIn: signedIn, [
            "delivery": DashboardView.delivery(delivery),
            "webhookID": delivery.webhookID.rawValue, "webhookURL": webhook?.url ?? "(deleted webhook)",
            "canRedeliver": webhook != nil && signedIn.workspace.plan.allowsWebhooks,
            "redeliveryOf": delivery.redeliveryOf?.rawValue as Any,
            "attempts": delivery.attempts.reversed().map(DashboardView.attempt), "hasAttempts": !delivery.attempts.isEmpty,
            "eventJSON": Self.pretty(body), "platformFormat": webhook?.format == .respondio,
            "headerID": delivery.eventID.rawValue, "headerTimestamp": timestamp ?? "(not attempted yet)",
        ])
    }

    @Sendable func redeliver(_ request: Request, context: HookLogRequestContext) async throws -> Response {
        let redelivery = try await actions.redeliver(try context.parameters.require("id"), of: try context.workspace)
        return Dashboard.redirect(to: "/deliveries/\(redelivery.rawValue)")
    }

    /// `bytes` as indented JSON when they parse, else as they are.
    private static func pretty(_ bytes: [UInt8]) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)),
            let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else { return String(decoding: bytes, as: UTF8.self) }
        return String(decoding: data, as: UTF8.self)
    }
}
