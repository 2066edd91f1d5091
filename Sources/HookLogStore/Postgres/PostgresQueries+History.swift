public import HookLogCore

extension PostgresQueries {
    /// The deliveries of a webhook, an event or a delivery, with their attempts, folded in one snapshot from the
    /// records the index lists under the subject, and for an event or a delivery, from what befell each delivery
    /// after and the disables and enables of its webhook, as the data directory's reader folds them (``HistoryPlan``):
    /// `hooklog history --store`.
    public func history(of subject: DeliveryHistory.Subject) async throws -> DeliveryHistory {
        try await read { snapshot in
            let (kind, name): (NamedIndex.Kind, IndexedName) = switch subject {
            case .webhook(let id): (.webhooks, IndexedName(id))
            case .event(let id): (.events, IndexedName(id))
            case .delivery(let id): (.deliveries, IndexedName(id))
            }
            let plan = HistoryPlan(
                of: subject, listed: try await snapshot.records(listedUnder: name, in: kind, from: 0).map { try $0.decoded() })
            var more: Set<UInt64> = []
            for (deliveryID, createdAt) in plan.deliveries {
                more.formUnion(try await snapshot.sequences(listedUnder: IndexedName(deliveryID), in: .deliveries, after: createdAt))
            }
            for (webhookID, sequence) in plan.webhooks {
                more.formUnion(try await snapshot.sequences(listedUnder: IndexedName(webhookID), in: .queues, after: sequence))
            }
            return plan.history(adding: try await snapshot.records(at: plan.unlisted(more)).map { try $0.decoded() })
        }
    }
}
