import HookLogCore

extension DeliveryRecord {
    /// The API's `Delivery`, with its attempts oldest first.
    var json: JSONValue {
        .object([
            ("id", .string(deliveryID.rawValue)), ("webhook_id", .string(webhookID.rawValue)),
            ("event_id", .string(eventID.rawValue)), ("event_type", .string(eventType.rawValue)),
            ("created_at", .string(createdAt.rfc3339)), ("state", .string(state.rawValue)),
            ("redelivery_of", redeliveryOf.map { .string($0.rawValue) } ?? .null),
            ("attempts", .array(attempts.map(\.json))),
        ])
    }
}

extension AttemptRecord {
    /// The API's `Attempt`.
    var json: JSONValue {
        .object([
            ("number", .int(Int64(number))), ("started_at", .string(startedAt.rfc3339)),
            ("duration_ms", .int(Int64(durationMilliseconds))),
            ("status_code", statusCode.map { .int(Int64($0)) } ?? .null),
            ("error", error.map { .string($0.rawValue) } ?? .null), ("response_snippet", .string(responseSnippet)),
            ("next_attempt_at", nextAttemptAt.map { .string($0.rfc3339) } ?? .null),
        ])
    }
}
