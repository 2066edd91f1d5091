/// Events at a steady rate: every 10 ms, the events due since the start are posted, one per webhook in turn (silent
/// ones included, each webhook receiving the same rate), without waiting for the previous posts' answers.
struct PacedLoad {
    /// What a paced run posted and how much of it the answering endpoints got.
    struct Outcome {
        /// Events posted to answering webhooks, and how many of them were delivered before the timeout.
        let answeringEvents: Int
        let delivered: Int
        /// Events posted in all, silent webhooks' included.
        let events: Int
    }

    /// Events per second to the answering webhooks.
    let rate: Double
    let duration: Duration
    let timeout: Duration

    private static let tick = Duration.milliseconds(10)

    /// Posts for `duration`, then waits until every event to an answering webhook has been delivered.
    func run(fleet: Fleet, api: HookLogAPI, endpoints: LoopbackEndpoints) async throws -> Outcome {
        let totalRate = rate * Double(fleet.webhooks.count) / Double(fleet.answeringCount)
        let answeredBefore = endpoints.answeredCount
        let started = ContinuousClock.now
        var posted = 0
        var answeringEvents = 0
        try await withThrowingDiscardingTaskGroup { group in
            var next = started
            while next < started.advanced(by: duration) {
                let due = Int(totalRate * ((next - started) / .seconds(1)))
                let webhooks = (posted..<due).map { $0 % fleet.webhooks.count }
                answeringEvents += webhooks.count(where: { $0 < fleet.answeringCount })
                posted = due
                for batch in fleet.batches(forWebhooks: webhooks) {
                    group.addTask { try await api.postEvents(batch.types, key: batch.key) }
                }
                next = next.advanced(by: Self.tick)
                try await Task.sleep(until: next, clock: .continuous)
            }
        }
        let finished = try await DeliveryWait(endpoints: endpoints, timeout: timeout)
            .untilAnswered(answeringEvents, since: answeredBefore)
        return Outcome(answeringEvents: answeringEvents, delivered: finished.answered, events: posted)
    }
}
