extension LoggedRecord {
    /// Calls `body` with each delivery this record queues, in queue order: its index in the record's list of
    /// deliveries, the webhook whose queue it joins, and the delivery as it waits for its first attempt.
    func forEachQueuedDelivery(_ body: (Int, WebhookID, QueuedDelivery) -> Void) {
        let at = record.at
        switch record.fact {
        case .eventReceived(let fact):
            for (index, fanout) in fact.deliveries.enumerated() {
                let reference = DeliveryReference(
                    deliveryID: fanout.deliveryID, eventID: fact.eventID, eventType: fact.type, eventSequence: sequence)
                body(index, fanout.webhookID, QueuedDelivery(reference: reference, attempts: 0, nextAttemptAt: at))
            }
        case .deliveriesRecovered(let fact):
            for (index, reference) in fact.deliveries.enumerated() {
                body(index, fact.webhookID, QueuedDelivery(reference: reference, attempts: 0, nextAttemptAt: at))
            }
        case .redeliveryRequested(let fact):
            body(0, fact.webhookID, QueuedDelivery(reference: fact.delivery, attempts: 0, nextAttemptAt: at))
        default:
            return
        }
    }
}
