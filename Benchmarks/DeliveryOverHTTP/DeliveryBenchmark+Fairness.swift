import AsyncHTTPClient
import HookLogCore

extension DeliveryBenchmark {
    /// Fair delivery between workspaces (issue #13, docs/rules.md §2.2): workspace B's append-to-2xx p99 for its one
    /// webhook, alone and beside workspace A's slow webhooks (``FairnessRun``); beside must stay within twice alone.
    func fairnessFigures(endpoints: LoopbackEndpoints, client: HTTPClient) async throws -> [Figure] {
        let limitOption = "--max-webhooks-per-workspace"
        let arguments = try ServerProcess.serveAccepts(limitOption, binary: options.hooklog)
            ? [limitOption, String(options.slowWebhooks)] : []
        if arguments.isEmpty { Self.say("fairness: \(options.hooklog) has no \(limitOption); the workspace is not limited") }
        let fairness = FairnessRun(
            slowWebhooks: options.slowWebhooks, slowDelay: .milliseconds(options.slowDelayMilliseconds),
            concurrency: options.fairConcurrency,
            paced: PacedLoad(
                rate: Double(options.fairRate), duration: .seconds(options.fairSeconds), timeout: .seconds(options.timeout)))
        let fastType = EventType.allCases[0]
        var outcomes: [(outcome: FairnessRun.Outcome, latency: AppendToSuccessLatency)] = []
        for beside in [false, true] {
            outcomes.append(try await withServer(
                beside ? "fairness-beside" : "fairness-alone", client: client, retentionSeconds: nil, history: nil,
                concurrency: options.fairConcurrency, arguments: arguments, eventType: fastType
            ) { api, adminKey, _ in
                try await fairness.run(beside: beside, api: api, adminKey: adminKey, endpoints: endpoints)
            })
        }
        let (alone, beside) = (outcomes[0], outcomes[1])
        let p99Alone = alone.latency.milliseconds(atPercentile: 99)
        let p99Beside = beside.latency.milliseconds(atPercentile: 99)
        let slowDelay = Double(options.slowDelayMilliseconds) / 1000
        let aloneName = "append to 2xx p99, one webhook at \(options.fairRate)/s, its workspace alone"
        Self.say("fairness: p99 \(p99Beside) ms beside \(options.slowWebhooks) webhooks answering after \(slowDelay) s, "
            + "\(p99Alone) ms alone; \(beside.outcome.slowAnswered) slow attempts answered meanwhile")
        return [
            Figure(
                suite: "fairness", name: aloneName, value: p99Alone, unit: "ms",
                note: Self.incompleteNote(alone.outcome.paced) + "\(alone.latency.succeeded) deliveries of workspace B, "
                    + "cap \(options.fairConcurrency), \(options.fairSeconds) s"),
            Figure(
                suite: "fairness",
                name: "append to 2xx p99, one webhook at \(options.fairRate)/s, beside a workspace of "
                    + "\(options.slowWebhooks) webhooks answering 200 after \(slowDelay) s",
                value: p99Beside, unit: "ms", baseline: aloneName, baselineValue: p99Alone, target: "<= 2 x baseline",
                maximumRatio: 2,
                note: Self.incompleteNote(beside.outcome.paced) + "\(beside.latency.succeeded) deliveries of workspace B; "
                    + "workspace A always had more due than the cap of \(options.fairConcurrency) lets it run, and "
                    + "\(beside.outcome.slowAnswered) of its attempts were answered during B's run"
                    + (arguments.isEmpty ? "; the binary has no \(limitOption)" : "; \(limitOption) \(options.slowWebhooks)")),
        ]
    }
}
