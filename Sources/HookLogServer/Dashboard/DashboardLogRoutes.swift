import Foundation
import HookLogCore
import HookLogDelivery
import HookLogStore
import Hummingbird

extension HookLogAPI {
    /// How many deliveries a page of the event log shows.
    static var dashboardPageSize: Int { 25 }
    /// How many of a webhook's latest records the chart reads at most.
    static var chartRecordLimit: Int { 20_000 }

    /// `GET /webhooks/{id}` (the event log), `GET /deliveries/{id}` and `POST /deliveries/{id}/redeliver`.
    func addDashboardLogRoutes(to router: APIRouter<BasicRequestContext>, dashboard: Dashboard) {
        router.on(.get, "/webhooks/{id}") { request, context in
            try await self.dashboardPage(request, dashboard) { signedIn in
                let webhook = try self.webhook(try context.parameters.require("id"), of: try self.webhookWorkspace(of: signedIn))
                return try self.eventLogPage(of: webhook, request: request, signedIn, dashboard)
            }
        }
        router.on(.get, "/deliveries/{id}") { request, context in
            try await self.dashboardPage(request, dashboard) { signedIn in
                let delivery = try self.delivery(try context.parameters.require("id"), of: signedIn.workspace)
                return try self.deliveryPage(delivery, signedIn, dashboard)
            }
        }
        router.on(.post, "/deliveries/{id}/redeliver") { request, context in
            try await self.dashboardForm(request, dashboard) { signedIn, _ in
                let redelivery = try await self.redeliver(try context.parameters.require("id"), of: try self.webhookWorkspace(of: signedIn))
                return Dashboard.redirect(to: "/deliveries/\(redelivery.rawValue)")
            }
        }
    }

    /// A webhook's deliveries newest first, filtered and paged as the query asks, with the chart of its last hour.
    private func eventLogPage(of webhook: Webhook, request: Request, _ signedIn: SignedIn, _ dashboard: Dashboard) throws -> Response {
        let query = QueryReader(request)
        let status = try query.string("status").map { text throws(APIError) in
            guard let state = DeliveryState(rawValue: text) else { throw APIError.invalidField("status: '\(text)' is not a delivery state") }
            return state
        }
        let type = try query.string("type").map { text throws(APIError) in
            try Self.check { () throws(DecisionError) in try EventType.parse(text) }
        }
        let since = try DashboardView.parseTime(query.string("since"), field: "since")
        let until = try DashboardView.parseTime(query.string("until"), field: "until")
        if let since, let until, since > until { throw APIError.invalidField("since must not be after until") }
        let page = try store.reader.deliveries(
            ofWebhook: webhook.id,
            matching: DeliveryQuery(
                status: status, type: type, since: since, until: until, before: try query.cursor("before"),
                limit: Self.dashboardPageSize))
        var filters = URLComponents()
        filters.queryItems = [("status", status?.rawValue), ("type", type?.rawValue), ("since", query.string("since")),
                              ("until", query.string("until"))].compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } }
        let base = "/webhooks/\(webhook.id.rawValue)?" + (filters.percentEncodedQuery ?? "")
        let now = clock.now
        var chart = AttemptChart(now: now)
        let hourAgo = now.advanced(by: .seconds(-3600))
        for entry in try store.reader.latestRecords(ofWebhook: webhook.id, limit: Self.chartRecordLimit) {
            if entry.record.at < hourAgo { break }
            chart.count(entry.record)
        }
        return dashboard.page("event-log", title: "Event log — \(webhook.url)", signedIn: signedIn, [
            "webhook": DashboardView.webhook(webhook),
            "deliveries": page.deliveries.map(DashboardView.delivery), "hasDeliveries": !page.deliveries.isEmpty,
            "statuses": DeliveryState.allCases.map { ["value": $0.rawValue, "selected": $0 == status] },
            "types": EventType.allCases.map { ["value": $0.rawValue, "selected": $0 == type] },
            "since": DashboardView.localInput(since), "until": DashboardView.localInput(until),
            "olderURL": page.nextCursor.map { base + "&before=\($0)" } as Any,
            "newestURL": (query.string("before") == nil ? nil : base) as Any,
            "chart": chart.svg, "successCount": chart.successCount, "failureCount": chart.failureCount,
        ])
    }

    /// One delivery: its attempts, the event as delivered, and the headers that sign it.
    private func deliveryPage(_ delivery: DeliveryRecord, _ signedIn: SignedIn, _ dashboard: Dashboard) throws -> Response {
        let received = try store.reader.event(delivery.eventID, in: signedIn.workspace.id)
        let webhook = try? self.webhook(delivery.webhookID.rawValue, of: signedIn.workspace)
        let body = received.map { WebhookPayload.body(of: $0.event) } ?? []
        let timestamp = delivery.attempts.last.map { String($0.startedAt.seconds) }
        return dashboard.page("delivery", title: "Delivery \(delivery.deliveryID.rawValue)", signedIn: signedIn, [
            "delivery": DashboardView.delivery(delivery),
            "webhookID": delivery.webhookID.rawValue, "webhookURL": webhook?.url ?? "(deleted webhook)",
            "canRedeliver": webhook != nil && signedIn.workspace.plan.allowsWebhooks,
            "redeliveryOf": delivery.redeliveryOf?.rawValue as Any,
            "attempts": delivery.attempts.reversed().map(DashboardView.attempt), "hasAttempts": !delivery.attempts.isEmpty,
            "eventJSON": Self.pretty(body),
            "headerID": delivery.eventID.rawValue, "headerTimestamp": timestamp ?? "(not attempted yet)",
        ])
    }

    /// `bytes` as indented JSON when they parse, else as they are.
    private static func pretty(_ bytes: [UInt8]) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)),
            let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else { return String(decoding: bytes, as: UTF8.self) }
        return String(decoding: data, as: UTF8.self)
    }
}
