import HookLogCore

extension EventReceived {
    /// Writes the API's `AcceptedEvent`: the event as recorded at `receivedAt`, and the deliveries it fanned out to.
    /// Ingest answers a hundred of these at a time, so they are written directly, not built as a ``JSONValue`` first.
    func writeAccepted(receivedAt: Timestamp, to json: inout JSONWriter) {
        json.object { json in
            writeSummary(receivedAt: receivedAt, to: &json)
            json.key("deliveries")
            json.array { json in
                for delivery in deliveries {
                    json.object { json in
                        json.member("id", delivery.deliveryID.rawValue)
                        json.member("webhook_id", delivery.webhookID.rawValue)
                    }
                }
            }
        }
    }

    /// Writes the API's `Event`: the event with its data, and every delivery of it.
    func writeEvent(receivedAt: Timestamp, deliveries records: [DeliveryRecord], to json: inout JSONWriter) {
        json.object { json in
            writeSummary(receivedAt: receivedAt, to: &json)
            json.key("data")
            json.raw(data)
            json.key("deliveries")
            json.array { json in for record in records { json.value(record.json) } }
        }
    }

    private func writeSummary(receivedAt: Timestamp, to json: inout JSONWriter) {
        json.member("id", eventID.rawValue)
        json.member("workspace_id", workspaceID.rawValue)
        json.member("type", type.rawValue)
        json.member("occurred_at", occurredAt.rfc3339)
        json.member("received_at", receivedAt.rfc3339)
    }
}
