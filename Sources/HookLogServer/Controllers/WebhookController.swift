import HookLogCore
import Hummingbird

/// Managing webhooks: create, list, read, change, delete, enable, send a test event, and rotate the secret
/// (docs/rules.md §4).
struct WebhookController<C: Clock<Duration>>: Sendable where C.Instant == Timestamp {
    let actions: WebhookActions<C>
    var log: LogService<C> { actions.log }

    /// Adds the routes to `group`, which is at `/v1/webhooks` and admits workspaces whose plan has webhooks.
    func addRoutes(to group: RouterGroup<HookLogRequestContext>) {
        group.post(use: create)
        group.get(use: list)
        group.get("{id}", use: read)
        group.patch("{id}", use: change)
        group.delete("{id}", use: delete)
        group.post("{id}/enable", use: enable)
        group.post("{id}/test", use: test)
        group.post("{id}/rotate-secret", use: rotateSecret)
    }

    @Sendable func create(_ request: Request, context: HookLogRequestContext) async throws -> EditedResponse<WebhookJSON> {
        let workspace = try context.workspace
        let body = try await request.decode(as: NewWebhook.self, context: context)
        let webhook = try await actions.create(
            in: workspace, url: body.url, events: body.events.map(\.type), format: body.format?.format ?? .standard,
            rateLimit: body.rateLimit)
        return EditedResponse(status: .created, response: WebhookJSON(webhook: webhook))
    }

    @Sendable func list(_ request: Request, context: HookLogRequestContext) async throws -> PageJSON<WebhookJSON> {
        let workspace = try context.workspace
        let query = QueryReader(request)
        let limit = try query.limit()
        let after = try query.string("cursor").map { text throws(APIError) in
            guard let cursor = WebhookCursor(text) else { throw APIError.invalidField("cursor '\(text)' is not a cursor this API gave") }
            return cursor
        }
        let webhooks = log.webhooks(of: workspace)
        let rest = after.map { after in webhooks.filter { WebhookCursor($0) > after } } ?? webhooks
        let page = Array(rest.prefix(limit))
        let next = rest.count > limit ? page.last.map { WebhookCursor($0).text } : nil
        return PageJSON(data: page.map(WebhookJSON.init), nextCursor: next)
    }

    @Sendable func read(_ request: Request, context: HookLogRequestContext) async throws -> WebhookJSON {
        WebhookJSON(webhook: try webhook(context))
    }

    @Sendable func change(_ request: Request, context: HookLogRequestContext) async throws -> WebhookJSON {
        let webhook = try webhook(context)
        let body = try await request.decode(as: WebhookChange.self, context: context)
        guard body.url != nil || body.events != nil || body.format != nil || body.rateLimit != nil else {
            throw APIError.invalidField("give at least one of url, events, format and rate_limit")
        }
        if let url = body.url { try await actions.checkEndpointURL(url) }
        _ = try await log.execute(.updateWebhook(
            webhook.id, url: body.url, events: body.events?.map(\.type), format: body.format?.format, rateLimit: body.rateLimit))
        return WebhookJSON(webhook: try log.webhook(webhook.id.rawValue, of: try context.workspace))
    }

    @Sendable func delete(_ request: Request, context: HookLogRequestContext) async throws -> Response {
        _ = try await log.execute(.deleteWebhook(try webhook(context).id))
        return Response(status: .noContent)
    }

    @Sendable func enable(_ request: Request, context: HookLogRequestContext) async throws -> EnabledWebhookJSON {
        let webhook = try webhook(context)
        let recovered = try await actions.enable(webhook, recover: try QueryReader(request).bool("recover") ?? false)
        return EnabledWebhookJSON(
            webhook: WebhookJSON(webhook: try log.webhook(webhook.id.rawValue, of: try context.workspace)), recovered: recovered)
    }

    @Sendable func test(_ request: Request, context: HookLogRequestContext) async throws -> TestEventResult {
        let webhook = try webhook(context)
        let body = try await request.decode(as: TestEvent.self, context: context)
        let type = body.type?.type ?? webhook.events.first ?? .contactCreated
        let data = body.data?.bytes ?? Array(#"{"test":true}"#.utf8)
        return try await actions.sendTestEvent(to: webhook, type: type, data: data)
    }

    /// Gives the webhook a new secret; the old one keeps signing beside it for `?overlap=` seconds (at most, and by
    /// default, the configured overlap; `0` ends it at once, for a leaked secret).
    @Sendable func rotateSecret(_ request: Request, context: HookLogRequestContext) async throws -> WebhookJSON {
        let webhook = try webhook(context)
        let longest = Int(log.configuration.secretOverlap.components.seconds)
        let overlap = try QueryReader(request).integer("overlap", in: 0...longest) ?? longest
        _ = try await log.execute(.rotateWebhookSecret(webhook.id, overlap: .seconds(overlap)))
        return WebhookJSON(webhook: try log.webhook(webhook.id.rawValue, of: try context.workspace))
    }

    /// The body of `POST /v1/webhooks`.
    private struct NewWebhook: Decodable {
        let url: String
        let events: [EventTypeField]
        let format: WebhookFormatField?
        let rateLimit: Int?

        private enum CodingKeys: String, CodingKey {
            case url, events, format
            case rateLimit = "rate_limit"
        }
    }

    /// The body of `PATCH /v1/webhooks/{id}`: what it names changes, and `"rate_limit": null` removes the limit.
    private struct WebhookChange: Decodable {
        let url: String?
        let events: [EventTypeField]?
        let format: WebhookFormatField?
        let rateLimit: RateLimitChange?

        private enum CodingKeys: String, CodingKey {
            case url, events, format
            case rateLimit = "rate_limit"
        }

        init(from decoder: any Decoder) throws {
            let fields = try decoder.container(keyedBy: CodingKeys.self)
            url = try fields.decodeIfPresent(String.self, forKey: .url)
            events = try fields.decodeIfPresent([EventTypeField].self, forKey: .events)
            format = try fields.decodeIfPresent(WebhookFormatField.self, forKey: .format)
            if !fields.contains(.rateLimit) {
                rateLimit = nil
            } else if try fields.decodeNil(forKey: .rateLimit) {
                rateLimit = .unlimited
            } else {
                rateLimit = .limit(try fields.decode(Int.self, forKey: .rateLimit))
            }
        }
    }

    /// The body of `POST /v1/webhooks/{id}/test`, which may be empty.
    private struct TestEvent: OptionalBody {
        static var empty: TestEvent { TestEvent(type: nil, data: nil) }

        let type: EventTypeField?
        let data: RawJSONObject?
    }

    /// The webhook the path names, if it is the workspace's.
    private func webhook(_ context: HookLogRequestContext) throws -> Webhook {
        try log.webhook(try context.parameters.require("id"), of: try context.workspace)
    }
}
