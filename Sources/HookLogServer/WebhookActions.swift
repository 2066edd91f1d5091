import HTTPTypes
import HookLogCore
import HookLogDelivery
import HookLogStore

/// What a workspace does to its webhooks, the same whether asked through the API or the dashboard: add one,
/// enable one, redeliver, send a test event, and read the audit.
struct WebhookActions<C: Clock<Duration>>: Sendable where C.Instant == Timestamp {
    let log: LogService<C>

    /// Adds a webhook once its URL passes the core's rules and the address policy, and returns it; refused (409
    /// `limit_reached`) when the workspace has as many webhooks as the limit allows.
    func create(
        in workspace: Workspace, url: String, events: [EventType], format: WebhookFormat, rateLimit: Int?
    ) async throws -> Webhook {
        try await checkEndpointURL(url)
        let records: [LoggedRecord]
        do {
            records = try await log.execute(.createWebhook(
                workspace.id, url: url, events: events, format: format, rateLimit: rateLimit,
                limit: log.limits.maxWebhooksPerWorkspace))
        } catch let refusal as APIError {
            log.limits.countRefusal(refusal)
            throw refusal
        }
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

    /// How many deliveries of a webhook's history one page of a recovery looks at, and so at most queues again in
    /// one commit (in records of ``DeliveriesRecovered/maxDeliveries``).
    static var recoveryPage: Int { 16_384 }

    /// Queues again, in the order they were created, the webhook's deliveries that were dropped or skipped at or after
    /// `since` (all of them when nil), and returns how many, with the first ``RecoveredDeliveriesJSON/listedLimit``
    /// of them. The webhook's history up to now is read a page at a time (``recoveryPage``), each page's
    /// deliveries queued in a commit of their own before the next is read, so neither a read nor a commit grows with
    /// the history; a recovery that fails part way has queued the pages before, and a retry queues the rest.
    func recover(_ webhook: Webhook, since: Timestamp?) async throws -> (count: Int, listed: [DeliveryReference]) {
        let through = try await log.store.queries.lastSequence()
        var recovery: (count: Int, listed: [DeliveryReference]) = (0, [])
        var after: UInt64? = 0
        var committed = false
        while let start = after {
            let page = try await log.store.queries.recoverableDeliveries(
                ofWebhook: webhook.id, since: since, after: start, through: through, examining: Self.recoveryPage)
            after = page.resumeAfter
            // One command even when nothing is found, so that a disabled webhook is refused as before.
            guard !page.deliveries.isEmpty || (after == nil && !committed) else { continue }
            for entry in try await log.execute(.recoverDeliveries(webhook.id, page.deliveries)) {
                guard case .deliveriesRecovered(let fact) = entry.record.fact else { continue }
                recovery.count += fact.deliveries.count
                recovery.listed += fact.deliveries.prefix(RecoveredDeliveriesJSON.listedLimit - recovery.listed.count)
            }
            committed = true
        }
        return recovery
    }

    /// Queues the delivery `id` of `workspace` again as a new delivery, once durable, and returns the new one's id.
    func redeliver(_ id: String, of workspace: Workspace) async throws -> DeliveryID {
        let original = try await log.delivery(id, of: workspace)
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
            eventID: ids.next(at: log.clock.now), workspaceID: webhook.workspaceID, type: type, occurredAt: log.clock.now, data: data,
            idempotencyKey: nil, deliveries: [])
        let request = try WebhookRequest(delivering: event, to: webhook, at: log.clock.now)
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

    /// The audit of `webhook`: without a range, the one the state keeps (``HookLogState/audits``), read at once and
    /// counting the webhook's whole history, compacted records included; with `since` or `until`, its records in the
    /// range, folded from the log.
    func audit(of webhook: Webhook, since: Timestamp? = nil, until: Timestamp? = nil) async throws -> AuditReport {
        guard since != nil || until != nil else {
            return log.store.withState { $0.audits[webhook.id] } ?? AuditReport()
        }
        return try await log.store.queries.audit(ofWebhook: webhook.id, since: since, until: until)
    }
}
