public import HookLogCore

/// The body of the request that delivers an event (docs/rules.md, "The request HookLog sends").
public enum WebhookPayload {
    /// The event as compact JSON: `{"id":…,"type":…,"workspace_id":…,"occurred_at":RFC 3339,"data":{…}}`, with
    /// `data` written exactly as it was received.
    public static func body(of event: EventReceived) -> [UInt8] {
        let payload = JSONValue.object([
            ("id", .string(event.eventID.rawValue)),
            ("type", .string(event.type.rawValue)),
            ("workspace_id", .string(event.workspaceID.rawValue)),
            ("occurred_at", .string(event.occurredAt.rfc3339)),
            ("data", .raw(event.data)),
        ])
        return Array(payload.text.utf8)
    }
}
