extension Record {
    /// The record's fields by name, in a fixed order, as the log's JSON and text views show them.
    /// Secrets and key hashes are never shown.
    public var fields: [(String, JSONValue)] {
        switch fact {
        case .workspaceCreated(let fact):
            [("workspace_id", .id(fact.workspaceID)), ("name", .string(fact.name)), ("plan", .string(fact.plan.rawValue)),
             ("owner_email", .string(fact.ownerEmail))]
        case .workspacePlanChanged(let fact):
            [("workspace_id", .id(fact.workspaceID)), ("plan", .string(fact.plan.rawValue)),
             ("owner_email", .string(fact.ownerEmail))]
        case .apiKeyIssued(let fact):
            [("key_id", .id(fact.keyID)), ("workspace_id", .id(fact.workspaceID)), ("hint", .string(fact.hint))]
        case .apiKeyRevoked(let fact):
            [("key_id", .id(fact.keyID))]
        case .webhookCreated(let fact):
            [("webhook_id", .id(fact.webhookID)), ("workspace_id", .id(fact.workspaceID)), ("url", .string(fact.url)),
             ("events", .events(fact.events))]
        case .webhookUpdated(let fact):
            [("webhook_id", .id(fact.webhookID)), ("url", .string(fact.url)), ("events", .events(fact.events))]
        case .webhookDeleted(let fact):
            [("webhook_id", .id(fact.webhookID))]
        case .eventReceived(let fact):
            [("event_id", .id(fact.eventID)), ("workspace_id", .id(fact.workspaceID)), ("event_type", .string(fact.type.rawValue)),
             ("occurred_at", .string(fact.occurredAt.rfc3339)),
             ("idempotency_key", fact.idempotencyKey.map(JSONValue.string) ?? .null),
             ("deliveries", .array(fact.deliveries.map {
                 .object([("delivery_id", .id($0.deliveryID)), ("webhook_id", .id($0.webhookID))])
             })),
             ("data", .raw(fact.data))]
        case .attemptSucceeded(let fact):
            [("delivery_id", .id(fact.deliveryID)), ("webhook_id", .id(fact.webhookID)), ("number", .int(Int64(fact.number))),
             ("started_at", .string(fact.startedAt.rfc3339)), ("duration_ms", .int(Int64(fact.durationMilliseconds))),
             ("status_code", .int(Int64(fact.statusCode))), ("response", .string(fact.responseSnippet))]
        case .attemptFailed(let fact):
            [("delivery_id", .id(fact.deliveryID)), ("webhook_id", .id(fact.webhookID)), ("number", .int(Int64(fact.number))),
             ("started_at", .string(fact.startedAt.rfc3339)), ("duration_ms", .int(Int64(fact.durationMilliseconds))),
             ("status_code", fact.failure.statusCode.map { .int(Int64($0)) } ?? .null),
             ("error", fact.failure.error.map { .string($0.rawValue) } ?? .null),
             ("response", .string(fact.responseSnippet)),
             ("next_attempt_at", fact.nextAttemptAt.map { .string($0.rfc3339) } ?? .null)]
        case .deliveryDropped(let fact):
            [("delivery_id", .id(fact.deliveryID)), ("webhook_id", .id(fact.webhookID))]
        case .deliverySkipped(let fact):
            [("delivery_id", .id(fact.deliveryID)), ("webhook_id", .id(fact.webhookID))]
        case .webhookDisabled(let fact):
            [("webhook_id", .id(fact.webhookID)), ("workspace_id", .id(fact.workspaceID)), ("reason", .string(fact.reason)),
             ("error_count", .int(Int64(fact.errorCount)))]
        case .notificationSent(let fact):
            [("webhook_id", .id(fact.webhookID)), ("recipient", .string(fact.recipient)), ("attempt", .int(Int64(fact.attempt)))]
        case .notificationFailed(let fact):
            [("webhook_id", .id(fact.webhookID)), ("recipient", .string(fact.recipient)), ("attempt", .int(Int64(fact.attempt))),
             ("error", .string(fact.error)), ("next_attempt_at", .string(fact.nextAttemptAt.rfc3339))]
        case .webhookEnabled(let fact):
            [("webhook_id", .id(fact.webhookID)), ("workspace_id", .id(fact.workspaceID)), ("recover", .bool(fact.recover))]
        case .deliveriesRecovered(let fact):
            [("webhook_id", .id(fact.webhookID)), ("delivery_ids", .array(fact.deliveries.map { .id($0.deliveryID) }))]
        case .redeliveryRequested(let fact):
            [("webhook_id", .id(fact.webhookID)), ("original_delivery_id", .id(fact.originalDeliveryID)),
             ("delivery_id", .id(fact.delivery.deliveryID)), ("event_id", .id(fact.delivery.eventID))]
        }
    }
}

extension LoggedRecord {
    /// The record as one JSON object: sequence, time, type and its fields.
    public var json: JSONValue {
        .object([("sequence", .int(Int64(sequence))), ("at", .string(record.at.rfc3339)), ("type", .string(record.fact.typeName))]
            + record.fields)
    }
}

extension JSONValue {
    static func id<Kind>(_ id: Identifier<Kind>) -> JSONValue { .string(id.rawValue) }
    static func events(_ events: [EventType]) -> JSONValue { .array(events.map { .string($0.rawValue) }) }
}
