public import HookLogCore

/// The body of the request that delivers an event (docs/rules.md, "The request HookLog sends").
public enum WebhookPayload {
    /// The event as a webhook of `format` receives it, compact JSON:
    /// - ``WebhookFormat/standard``: `{"id":…,"type":…,"workspace_id":…,"occurred_at":RFC 3339,"data":{…}}`, with
    ///   `data` written exactly as it was received;
    /// - ``WebhookFormat/respondio``: the platform's flat body, `{"event_type":…,"event_id":…,…}` followed by the
    ///   data's top-level members as they were received, less those named `event_type` or `event_id` (the envelope's
    ///   win).
    public static func body(of event: EventReceived, format: WebhookFormat = .standard) -> [UInt8] {
        switch format {
        case .standard:
            let payload = JSONValue.object([
                ("id", .string(event.eventID.rawValue)),
                ("type", .string(event.type.rawValue)),
                ("workspace_id", .string(event.workspaceID.rawValue)),
                ("occurred_at", .string(event.occurredAt.rfc3339)),
                ("data", .raw(event.data)),
            ])
            return payload.bytes
        case .respondio:
            return flatBody(of: event)
        }
    }

    /// The keys of the flat body's envelope, which data members of the same name give way to.
    private static let envelopeKeys: Set<String> = ["event_type", "event_id"]

    private static func flatBody(of event: EventReceived) -> [UInt8] {
        let envelope = JSONValue.object([
            ("event_type", .string(event.type.rawValue)), ("event_id", .string(event.eventID.rawValue)),
        ])
        var body = envelope.bytes
        body.removeLast()
        body.reserveCapacity(body.count + event.data.count + 1)
        let members = JSONObjectMembers(event.data).map(Array.init) ?? []
        for member in members where !envelopeKeys.contains(member.key) {
            body.append(UInt8(ascii: ","))
            body.append(contentsOf: member.keyText)
            body.append(UInt8(ascii: ":"))
            body.append(contentsOf: member.valueText)
        }
        body.append(UInt8(ascii: "}"))
        return body
    }
}
