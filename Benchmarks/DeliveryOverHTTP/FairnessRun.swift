import HookLogCore

/// Fair delivery between workspaces, as issue #13 asks: workspace B's one fast webhook, paced, on a server where it
/// is alone, and on one where workspace A beside it has `slowWebhooks` webhooks whose endpoints answer 200 only after
/// the slow delay (no failure, so no error budget spent) and always more due than the cap lets it run.
struct FairnessRun {
    /// What a run posted to B and delivered, and how many of A's slow attempts were answered meanwhile.
    struct Outcome {
        let paced: PacedLoad.Outcome
        let slowAnswered: Int
    }

    /// The event type of workspace A's webhooks; B's webhook (``Fleet``'s first) has the first type, another one.
    static let slowType = EventType.messageReceived

    let slowWebhooks: Int
    let slowDelay: Duration
    /// The server's cap.
    let concurrency: Int
    /// B's events: one webhook, paced.
    let paced: PacedLoad

    /// Registers B, and A when `beside` (filling A's share of the cap with slow attempts first), then paces B's events
    /// until each is delivered.
    func run(beside: Bool, api: HookLogAPI, adminKey: String, endpoints: LoopbackEndpoints) async throws -> Outcome {
        let fleet = try await Fleet.create(answering: 1, silent: 0, endpoints: endpoints, api: api, adminKey: adminKey)
        let slowBefore = endpoints.slowAnsweredCount
        if beside { try await occupy(api: api, adminKey: adminKey, endpoints: endpoints) }
        let outcome = try await paced.run(fleet: fleet, api: api, endpoints: endpoints)
        return Outcome(paced: outcome, slowAnswered: endpoints.slowAnsweredCount - slowBefore)
    }

    /// Workspace A: its slow webhooks, and enough events that each has work for the whole paced run at the rate the
    /// cap allows; returns once as many slow attempts are under way as A may hold.
    private func occupy(api: HookLogAPI, adminKey: String, endpoints: LoopbackEndpoints) async throws {
        let key = try await api.createWorkspace(named: "Slow neighbour", adminKey: adminKey)
        _ = try await inParallel(0..<slowWebhooks, limit: 32) { index in
            try await api.createWebhook(url: endpoints.slowURL("\(index)"), type: Self.slowType, key: key)
        }
        let attemptsPerSecond = Double(concurrency) / (slowDelay / .seconds(1))
        let seconds = paced.duration / .seconds(1) + 10
        let events = Int((attemptsPerSecond * seconds / Double(slowWebhooks)).rounded(.up)) + 1
        let receivedBefore = endpoints.slowReceivedCount
        for start in stride(from: 0, to: events, by: Fleet.maximumBatch) {
            try await api.postEvents(Array(repeating: Self.slowType, count: min(Fleet.maximumBatch, events - start)), key: key)
        }
        let held = min(slowWebhooks, concurrency - FairShare(concurrency: concurrency).reserve)
        let deadline = ContinuousClock.now.advanced(by: paced.timeout)
        while endpoints.slowReceivedCount - receivedBefore < held {
            guard ContinuousClock.now < deadline else {
                throw HookLogAPI.UnexpectedAnswer(
                    description: "only \(endpoints.slowReceivedCount - receivedBefore) of \(held) slow attempts started")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        DeliveryBenchmark.say("fairness: \(slowWebhooks) slow webhooks with \(events) events each; \(held) attempts under way")
    }
}
