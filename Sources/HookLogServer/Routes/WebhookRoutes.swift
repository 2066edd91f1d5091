import HookLogCore
import HookLogDelivery
import Hummingbird

extension HookLogAPI {
    /// Managing webhooks: create, list, read, change, delete, enable, and send a test event (docs/rules.md §4).
    func addWebhookRoutes(to router: APIRouter<BasicRequestContext>) {
        router.on(.post, "/v1/webhooks") { request, _ in
            let workspace = try self.webhookWorkspace(of: request)
            let body = try JSONObjectReader(try await RequestBodyReader.json(of: request).root)
            let url = try body.string("url")
            guard let events = try body.optionalEventTypes("events") else { throw APIError.invalidField("events is required") }
            try await self.checkEndpointURL(url)
            let records = try await self.execute(.createWebhook(workspace.id, url: url, events: events))
            guard case .webhookCreated(let created) = records.first?.record.fact else { throw APIError.unavailable }
            return JSONResponse.make(.created, try self.webhook(created.webhookID.rawValue, of: workspace).json)
        }
        router.on(.get, "/v1/webhooks") { request, _ in
            let workspace = try self.webhookWorkspace(of: request)
            let query = QueryReader(request)
            let limit = try query.limit()
            let after = try query.string("cursor").map { text throws(APIError) in
                guard let cursor = WebhookCursor(text) else { throw APIError.invalidField("cursor '\(text)' is not a cursor this API gave") }
                return cursor
            }
            let webhooks = self.store.withState { $0.webhooks(of: workspace.id) }.sorted { WebhookCursor($0) < WebhookCursor($1) }
            let rest = after.map { after in webhooks.filter { WebhookCursor($0) > after } } ?? webhooks
            let page = Array(rest.prefix(limit))
            let next = rest.count > limit ? page.last.map { WebhookCursor($0).text } : nil
            return JSONResponse.page(page.map(\.json), nextCursor: next)
        }
        router.on(.get, "/v1/webhooks/{id}") { request, context in
            let workspace = try self.webhookWorkspace(of: request)
            return JSONResponse.make(.ok, try self.webhook(try context.parameters.require("id"), of: workspace).json)
        }
        router.on(.patch, "/v1/webhooks/{id}") { request, context in
            let workspace = try self.webhookWorkspace(of: request)
            let webhook = try self.webhook(try context.parameters.require("id"), of: workspace)
            let body = try JSONObjectReader(try await RequestBodyReader.json(of: request).root)
            let url = try body.optionalString("url")
            let events = try body.optionalEventTypes("events")
            guard url != nil || events != nil else { throw APIError.invalidField("give url, events or both") }
            if let url { try await self.checkEndpointURL(url) }
            _ = try await self.execute(.updateWebhook(webhook.id, url: url, events: events))
            return JSONResponse.make(.ok, try self.webhook(webhook.id.rawValue, of: workspace).json)
        }
        router.on(.delete, "/v1/webhooks/{id}") { request, context in
            let workspace = try self.webhookWorkspace(of: request)
            let webhook = try self.webhook(try context.parameters.require("id"), of: workspace)
            _ = try await self.execute(.deleteWebhook(webhook.id))
            return Response(status: .noContent)
        }
        router.on(.post, "/v1/webhooks/{id}/enable") { request, context in
            let workspace = try self.webhookWorkspace(of: request)
            let webhook = try self.webhook(try context.parameters.require("id"), of: workspace)
            let recover = try QueryReader(request).bool("recover") ?? false
            let records = try await self.execute(.enableWebhook(webhook.id, recover: recover))
            let recovered = records.reduce(0) { count, entry in
                guard case .deliveriesRecovered(let fact) = entry.record.fact else { return count }
                return count + fact.deliveries.count
            }
            return JSONResponse.make(.ok, .object([
                ("webhook", try self.webhook(webhook.id.rawValue, of: workspace).json), ("recovered", .int(Int64(recovered))),
            ]))
        }
        router.on(.post, "/v1/webhooks/{id}/test") { request, context in
            let workspace = try self.webhookWorkspace(of: request)
            let webhook = try self.webhook(try context.parameters.require("id"), of: workspace)
            let document = try await RequestBodyReader.json(of: request, optional: true)
            let body = try JSONObjectReader(document.root)
            let type = try body.optionalEventType("type") ?? webhook.events.first ?? .contactCreated
            let data = try body.optionalObject("data").map { document.text(of: $0.span) } ?? Array(#"{"test":true}"#.utf8)
            return JSONResponse.make(.ok, try await self.sendTestEvent(to: webhook, type: type, data: data))
        }
    }

    /// Sends one signed test event to the webhook now, outside its queue and its error budget, and tells how the
    /// endpoint answered.
    func sendTestEvent(to webhook: Webhook, type: EventType, data: [UInt8]) async throws -> JSONValue {
        var ids = IdentifierSource(SystemRandomNumberGenerator())
        let event = EventReceived(
            eventID: ids.next(), workspaceID: webhook.workspaceID, type: type, occurredAt: clock.now, data: data,
            idempotencyKey: nil, deliveries: [])
        let request = try WebhookRequest(
            url: webhook.url, messageID: event.eventID.rawValue, body: WebhookPayload.body(of: event), secret: webhook.secret)
        let result = await sender.send(request)
        let (statusCode, error): (Int?, AttemptError?) = switch result.outcome {
        case .status(let code): (code, nil)
        case .error(let error): (nil, error)
        }
        return .object([
            ("event_id", .string(event.eventID.rawValue)),
            ("succeeded", .bool(statusCode.map { DeliveryRules.isSuccess(statusCode: $0) } ?? false)),
            ("status_code", statusCode.map { .int(Int64($0)) } ?? .null), ("error", error.map { .string($0.rawValue) } ?? .null),
            ("duration_ms", .int(Int64(result.durationMilliseconds))), ("response_snippet", .string(result.responseSnippet)),
        ])
    }
}

/// Where a page of webhooks ends: the last one's creation time and id, the order pages are listed in; it stays valid
/// when that webhook is deleted.
struct WebhookCursor: Comparable {
    let createdAt: Int64
    let id: String

    init(_ webhook: Webhook) {
        (createdAt, id) = (webhook.createdAt.milliseconds, webhook.id.rawValue)
    }

    init?(_ text: String) {
        let parts = text.split(separator: ".", maxSplits: 1)
        guard parts.count == 2, let createdAt = Int64(parts[0]) else { return nil }
        (self.createdAt, id) = (createdAt, String(parts[1]))
    }

    var text: String { "\(createdAt).\(id)" }

    static func < (lhs: Self, rhs: Self) -> Bool { (lhs.createdAt, lhs.id) < (rhs.createdAt, rhs.id) }
}
