/// All the events at once: every batch posted (a few requests in flight), then the answering endpoints' 204s counted
/// until each event has been delivered. Its rate is the delivery throughput.
struct Burst {
    /// What a burst measured, from the first post to the last 204.
    struct Outcome {
        let delivered: Int
        let seconds: Double
        /// Whether every event was delivered before the timeout.
        let complete: Bool

        var deliveredPerSecond: Double { Double(delivered) / seconds }
    }

    let events: Int
    let timeout: Duration

    /// Posts `events` events, spread evenly over the fleet's answering webhooks, and waits for their deliveries.
    func run(fleet: Fleet, api: HookLogAPI, endpoints: LoopbackEndpoints) async throws -> Outcome {
        try await run(fleet: fleet, apis: [api], endpoints: endpoints)
    }

    /// Posts `events` events, spread evenly over the fleet's answering webhooks, each batch to the next of `apis` in
    /// turn (the nodes of a fleet), and waits for their deliveries.
    func run(fleet: Fleet, apis: [HookLogAPI], endpoints: LoopbackEndpoints) async throws -> Outcome {
        let batches = fleet.batches(forWebhooks: (0..<events).lazy.map { $0 % fleet.answeringCount })
        let answeredBefore = endpoints.answeredCount
        let started = ContinuousClock.now
        _ = try await inParallel(batches.indices, limit: 8) { index in
            try await apis[index % apis.count].postEvents(batches[index].types, key: batches[index].key)
        }
        let finished = try await DeliveryWait(endpoints: endpoints, timeout: timeout)
            .untilAnswered(events, since: answeredBefore)
        return Outcome(
            delivered: finished.answered, seconds: (finished.at - started) / .seconds(1), complete: finished.answered >= events)
    }
}
