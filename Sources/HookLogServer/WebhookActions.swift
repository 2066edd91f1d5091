import HTTPTypes
import HookLogCore
import HookLogDelivery
import HookLogStore

/// What a workspace does to its webhooks, the same whether asked through the API or the dashboard: add one,
/// enable one, redeliver, send a test event, and read the audit.
struct WebhookActions<C: Clock<Duration>>: Sendable where C.Instant == Timestamp {
    let log: LogService<C>

    /// Adds a webhook once its URL passes the core's rules and the address policy, and returns it.
    func create(in workspace: Workspace, url: String, events: [EventType]) async throws -> Webhook {
        try await checkEndpointURL(url)
        let records = try await log.execute(.createWebhook(workspace.id, url: url, events: events))
        guard case .webhookCreated(let created) = records.first?.record.fact else { throw APIError.unavailable }
        return try log.webhook(created.webhookID.rawValue, of: workspace)
    }

    /// Refuses a URL that is malformed (the core's rules) or whose host is not allowed (SSRF), before any command.
    func checkEndpointURL(_ url: String) async throws {
        do {
            try Validation.checkEndpointURL(url)
        } catch {
            throw APIError(error)
        }
        do {
            try await log.addressPolicy.check(url: url)
        } catch {
            throw APIError.invalidField("url: \(error.description)")
        }
    }

    /// Enables `webhook`, queueing what was skipped while it was disabled when `recover`; returns how many
    /// deliveries were queued again.
    func enable(_ webhook: Webhook, recover: Bool) async throws -> Int {
        let records = try await log.execute(.enableWebhook(webhook.id, recover: recover))
        guard case .webhookEnabled(let fact) = records.first?.record.fact else { return 0 }
        return fact.recoveredDeliveries ?? 0
    }

    /// Queues the delivery `id` of `workspace` again as a new delivery, once durable, and returns the new one's id.
    func redeliver(_ id: String, of workspace: Workspace) async throws -> DeliveryID {
        let original = try log.delivery(id, of: workspace)
        let webhook = try log.webhook(original.webhookID.rawValue, of: workspace)
        let records = try await log.execute(.redeliver(
            webhook.id, original: original.deliveryID, eventID: original.eventID, eventType: original.eventType,
            eventSequence: original.eventSequence))
        guard case .redeliveryRequested(let fact) = records.first?.record.fact else { throw APIError.unavailable }
        return fact.delivery.deliveryID
    }

    /// Sends one signed test event to the webhook, outside its queue and its error budget, and tells how the endpoint
    /// answered. At most one per webhook per test interval (429 otherwise), and in a slot of the concurrency cap
    /// within the workspace's share, like any attempt (docs/rules.md §2.2): it waits for that slot first.
    func sendTestEvent(to webhook: Webhook, type: EventType, data: [UInt8]) async throws -> TestEventResult {
        try log.testSends.admit(webhook.id, at: log.clock.now)
        var ids = IdentifierSource(SystemRandomNumberGenerator())
        let event = EventReceived(
            eventID: ids.next(), workspaceID: webhook.workspaceID, type: type, occurredAt: log.clock.now, data: data,
            idempotencyKey: nil, deliveries: [])
        let request = try WebhookRequest(
            url: webhook.url, messageID: event.eventID.rawValue, body: WebhookPayload.body(of: event), secret: webhook.secret)
        let result: AttemptResult
        do {
            result = try await log.engine.withTestSlot(for: webhook.id, of: webhook.workspaceID) { await log.sender.send(request) }
        } catch is DeliveryStopped {
            throw APIError(.serviceUnavailable, "unavailable", "the server is stopping: it sends no more test events")
        }
        let (statusCode, error): (Int?, AttemptError?) = switch result.outcome {
        case .status(let code): (code, nil)
        case .error(let error): (nil, error)
        }
        return TestEventResult(
            eventID: event.eventID, statusCode: statusCode, error: error, durationMilliseconds: result.durationMilliseconds,
            responseSnippet: result.responseSnippet)
    }

    /// The audit of `webhook`: its records folded up to `until` (all of them when nil).
    func audit(of webhook: Webhook, since: Timestamp? = nil, until: Timestamp? = nil) throws -> AuditReport {
        try log.store.queries.audit(ofWebhook: webhook.id, since: since, until: until)
    }
}
