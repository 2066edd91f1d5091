/// Waits, in real time, until the answering endpoints have answered a number of requests, or a timeout passes.
struct DeliveryWait {
    /// How many had been answered when the wait ended, and when.
    struct Finished {
        let answered: Int
        let at: ContinuousClock.Instant
    }

    let endpoints: LoopbackEndpoints
    let timeout: Duration

    /// Polls every millisecond until `count` more requests than `before` have been answered.
    func untilAnswered(_ count: Int, since before: Int) async throws -> Finished {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while true {
            let answered = endpoints.answeredCount - before
            let now = ContinuousClock.now
            if answered >= count || now >= deadline { return Finished(answered: answered, at: now) }
            try await Task.sleep(for: .milliseconds(1))
        }
    }
}
