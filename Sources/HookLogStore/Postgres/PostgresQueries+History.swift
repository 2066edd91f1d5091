public import HookLogCore

extension PostgresQueries {
    /// The deliveries of a webhook, an event or a delivery, with their attempts, folded in one snapshot from the
    /// records the index lists under the subject, and for an event or a delivery, from what befell each delivery
    /// after and the disables and enables of its webhook, as the data directory's reader folds them
    /// (``LogReader/history(of:)``): `hooklog history --store`.
    public func history(of subject: DeliveryHistory.Subject) async throws -> DeliveryHistory {
        try await read { snapshot in
            let (kind, name): (NamedIndex.Kind, IndexedName) = switch subject {
            case .webhook(let id): (.webhooks, IndexedName(id))
            case .event(let id): (.events, IndexedName(id))
            case .delivery(let id): (.deliveries, IndexedName(id))
            }
            var entries = try await snapshot.records(listedUnder: name, in: kind, from: 0).map { try $0.decoded() }
            if case .webhook = subject {} else {
                let listed = Set(entries.map(\.sequence))
                var created: [WebhookID: UInt64] = [:]
                var more: Set<UInt64> = []
                for entry in entries {
                    for delivery in LogReader.deliveries(createdBy: entry, of: subject) {
                        if created[delivery.webhookID] == nil { created[delivery.webhookID] = entry.sequence }
                        // The event index lists the records that bring an event or a delivery of it; what befell each
                        // delivery after, the delivery index lists.
                        guard case .event = subject else { continue }
                        more.formUnion(try await snapshot.sequences(
                            listedUnder: IndexedName(delivery.deliveryID), in: .deliveries, after: entry.sequence))
                    }
                }
                for (webhookID, sequence) in created {
                    more.formUnion(try await snapshot.sequences(listedUnder: IndexedName(webhookID), in: .queues, after: sequence))
                }
                entries += try await snapshot.records(at: Array(more.subtracting(listed))).map { try $0.decoded() }
                entries.sort { $0.sequence < $1.sequence }
            }
            var history = DeliveryHistory(of: subject)
            for entry in entries { history.apply(entry) }
            return history
        }
    }
}
