import HookLogCore

extension EventReceived {
    /// The API's `AcceptedEvent`: the event as recorded at `receivedAt`, and the deliveries it fanned out to.
    func acceptedJSON(receivedAt: Timestamp) -> JSONValue {
        .object(summary(receivedAt: receivedAt) + [
            ("deliveries", .array(deliveries.map {
                .object([("id", .string($0.deliveryID.rawValue)), ("webhook_id", .string($0.webhookID.rawValue))])
            })),
        ])
    }

    /// The API's `Event`: the event with its data, and every delivery of it.
    func json(receivedAt: Timestamp, deliveries records: [DeliveryRecord]) -> JSONValue {
        .object(summary(receivedAt: receivedAt) + [("data", .raw(data)), ("deliveries", .array(records.map(\.json)))])
    }

    private func summary(receivedAt: Timestamp) -> [(String, JSONValue)] {
        [
            ("id", .string(eventID.rawValue)), ("workspace_id", .string(workspaceID.rawValue)),
            ("type", .string(type.rawValue)), ("occurred_at", .string(occurredAt.rfc3339)),
            ("received_at", .string(receivedAt.rfc3339)),
        ]
    }
}
