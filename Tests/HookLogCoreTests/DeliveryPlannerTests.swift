import HookLogCore
import Testing

/// The planner is what the engine and the simulator share: these tests drive it as both do, with a state folded
/// from the core's own decisions.
@Suite("The delivery planner")
struct DeliveryPlannerTests {
    @Test("a webhook disabled again while its e-mail is still being sent has one e-mail job, not two")
    func oneEmailJobPerWebhook() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let webhook = try scenario.createWebhook(in: workspace)
        var planner = DeliveryPlanner(concurrency: 8)
        planner.start(with: scenario.state, now: scenario.now)

        let disabling = try scenario.failRepeatedly(webhook, times: 31).flatMap { $0 }
        #expect(disabling.contains { if case .webhookDisabled = $0.fact { true } else { false } })
        planner.committed(scenario.log, state: scenario.state, now: scenario.now)
        let email = DeliveryJob.notification(webhook)
        #expect(planner.jobsToStart(now: scenario.now) == [.warning(workspace), email],
                "a disabled webhook's queue waits; its e-mail is due, and the warning e-mail owed at the 20th failure")

        try scenario.run(.enableWebhook(webhook, recover: false))
        _ = try scenario.failRepeatedly(webhook, times: 31)
        #expect(try scenario.webhook(webhook).status == .disabled, "disabled a second time while the first e-mail is out")
        planner.committed(scenario.log, state: scenario.state, now: scenario.now)
        #expect(planner.jobsToStart(now: scenario.now) == [], "the e-mail job is in flight already")

        try scenario.run(.recordNotification(webhook, error: "mail server down"))
        planner.finished(email, failed: false, state: scenario.state, now: scenario.now)
        let retry = try #require(scenario.state.notifications[webhook]?.nextAttemptAt)
        #expect(retry > scenario.now)
        #expect(planner.nextWakeUp() == retry, "the e-mail is planned once more, at its retry time")
        #expect(planner.jobsToStart(now: retry) == [email])
        #expect(planner.jobsToStart(now: retry) == [], "and only once")
    }

    @Test("a fleet node's planner runs the jobs of the partitions it owns, and hands the others over whole")
    func ownedPartitionsOnly() throws {
        var scenario = Scenario()
        let first = try scenario.createWorkspace()
        var second = try scenario.createWorkspace()
        while Partition(of: second) == Partition(of: first) { second = try scenario.createWorkspace() }
        let firstHook = try scenario.createWebhook(in: first)
        let secondHook = try scenario.createWebhook(in: second)
        try scenario.send(.contactCreated, to: first)
        try scenario.send(.contactCreated, to: second)
        var planner = DeliveryPlanner(concurrency: 8)
        planner.own([Partition(of: first)], state: scenario.state, now: scenario.now)
        #expect(planner.jobsToStart(now: scenario.now) == [.delivery(firstHook)], "the other partition's queue waits")

        planner.own([Partition(of: second)], state: scenario.state, now: scenario.now)
        #expect(planner.jobsToStart(now: scenario.now) == [.delivery(secondHook)], "taken over: due at once")
        planner.finished(.delivery(firstHook), failed: false, state: scenario.state, now: scenario.now)
        #expect(planner.nextWakeUp() == nil && planner.jobsToStart(now: scenario.now.adding(.seconds(60))) == [],
                "the attempt in flight when its partition was given up is not planned again here")

        planner.own(nil, state: scenario.state, now: scenario.now)
        #expect(planner.jobsToStart(now: scenario.now) == [.delivery(firstHook)], "every partition: a single node")
    }

    @Test("workspaces spread over the 64 partitions by their ids' FNV-1a hash, the same on every node")
    func partitionsByHash() {
        #expect(Partition(of: WorkspaceID("ws_acme")).number == 38)
        let spread = Set((0..<1_000).map { Partition(of: WorkspaceID("ws_\($0)")) })
        #expect(spread.count == Partition.count, "a thousand workspaces reach every partition")
        #expect(Partition(number: 64) == nil && Partition(number: 63)?.number == 63)
    }

    @Test("a job that failed for a reason of HookLog's own waits the internal backoff before it runs again")
    func internalFailureBackoff() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let webhook = try scenario.createWebhook(in: workspace)
        try scenario.send(.contactCreated, to: workspace)
        var planner = DeliveryPlanner(concurrency: 8)
        planner.start(with: scenario.state, now: scenario.now)
        let job = DeliveryJob.delivery(webhook)
        #expect(planner.jobsToStart(now: scenario.now) == [job])

        planner.finished(job, failed: true, state: scenario.state, now: scenario.now)
        #expect(planner.jobsToStart(now: scenario.now) == [])
        #expect(planner.nextWakeUp() == scenario.now.adding(DeliveryPlanner.internalFailureBackoff))
    }

    @Test("records touch the jobs they concern, in the order they first touch them")
    func committedRecordsPlanInOrder() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let first = try scenario.createWebhook(in: workspace, url: "https://hooks.acme.example/1")
        let second = try scenario.createWebhook(in: workspace, url: "https://hooks.acme.example/2")
        var planner = DeliveryPlanner(concurrency: 1)
        planner.start(with: scenario.state, now: scenario.now)
        try scenario.send(.contactCreated, to: workspace)
        planner.committed(scenario.log, state: scenario.state, now: scenario.now)
        #expect(planner.jobsToStart(now: scenario.now) == [.delivery(first)], "one slot: the first webhook fanned out to")
        #expect(planner.readyCount == 1)
        planner.finished(.delivery(first), failed: false, state: scenario.state, now: scenario.now)
        #expect(planner.jobsToStart(now: scenario.now) == [.delivery(second)], "the other waited its turn")
    }

    @Test("a workspace's fan-out to many webhooks shares the cap with another workspace's one webhook, due after it")
    func fanOutSharesTheCapByWorkspace() throws {
        var scenario = Scenario()
        let busy = try scenario.createWorkspace("Busy")
        let busyWebhooks = try (0..<5).map { try scenario.createWebhook(in: busy, url: "https://hooks.busy.example/\($0)") }
        let quiet = try scenario.createWorkspace("Quiet")
        let quietWebhook = try scenario.createWebhook(in: quiet, url: "https://hooks.quiet.example/in")
        var planner = DeliveryPlanner(concurrency: 4)
        planner.start(with: scenario.state, now: scenario.now)
        try scenario.send(.contactCreated, to: busy)
        try scenario.send(.contactCreated, to: quiet)
        planner.committed(scenario.log, state: scenario.state, now: scenario.now)
        #expect(
            planner.jobsToStart(now: scenario.now) == [.delivery(busyWebhooks[0]), .delivery(quietWebhook), .delivery(busyWebhooks[1])],
            "the workspaces take turns, the busy one then takes the free slot beyond its share, and one stays in reserve")
        #expect(planner.load.workspacesWithWork == 2)
        #expect(planner.load.jobsWaiting == 3)

        let test = DeliveryJob.testSend(quietWebhook, ticket: 1)
        planner.requestTestSend(test, of: quiet)
        #expect(planner.jobsToStart(now: scenario.now) == [], "the quiet workspace holds its share of one; the reserve stays free")
        planner.finished(.delivery(quietWebhook), failed: false, state: scenario.state, now: scenario.now)
        #expect(planner.jobsToStart(now: scenario.now) == [test], "its freed slot goes to the test, ahead of its queue's head")
        planner.finished(test, failed: false, state: scenario.state, now: scenario.now)
        planner.requestTestSend(DeliveryJob.testSend(quietWebhook, ticket: 2), of: quiet)
        planner.cancel(DeliveryJob.testSend(quietWebhook, ticket: 2))
        #expect(
            planner.jobsToStart(now: scenario.now) == [.delivery(quietWebhook)],
            "a cancelled test send is not started: the queue's head, still due, takes the slot")
    }

    @Test("a webhook limited to 4 deliveries a second starts them 250 ms apart, in order, and waits no more once the limit goes")
    func rateLimitPacesAttempts() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let paced = try scenario.createWebhook(in: workspace, url: "https://hooks.acme.example/paced")
        let free = try scenario.createWebhook(in: workspace, url: "https://hooks.acme.example/free")
        try scenario.run(.updateWebhook(paced, url: nil, events: nil, rateLimit: .limit(4)))
        try scenario.send(5, to: workspace)
        var planner = DeliveryPlanner(concurrency: 8)
        planner.start(with: scenario.state, now: scenario.now)

        var starts: [Timestamp] = []
        var deliveredSequences: [UInt64] = []
        var freeStarts = 0
        while starts.count < 4 {
            var jobs = planner.jobsToStart(now: scenario.now)
            while !jobs.isEmpty {
                if jobs.contains(.delivery(paced)) {
                    starts.append(scenario.now)
                    deliveredSequences.append(try #require(scenario.state.queues[paced]?.head).reference.eventSequence)
                    try scenario.attemptHead(of: paced, answering: .status(200))
                    planner.finished(.delivery(paced), failed: false, state: scenario.state, now: scenario.now)
                }
                if jobs.contains(.delivery(free)) {
                    freeStarts += 1
                    try scenario.attemptHead(of: free, answering: .status(200))
                    planner.finished(.delivery(free), failed: false, state: scenario.state, now: scenario.now)
                }
                jobs = planner.jobsToStart(now: scenario.now)
            }
            let next = planner.nextWakeUp()
            let wake = try #require(next)
            scenario.advance(scenario.now.duration(to: wake))
        }
        #expect(starts.map { Scenario.start.duration(to: $0) } == [0, 250, 500, 750].map { Duration.milliseconds($0) })
        #expect(deliveredSequences == deliveredSequences.sorted() && Set(deliveredSequences).count == 4)
        #expect(freeStarts == 5, "the webhook without a limit was not held back: all five went at once")

        try scenario.run(.updateWebhook(paced, url: nil, events: nil, rateLimit: .unlimited))
        planner.committed(Array(scenario.log.suffix(1)), state: scenario.state, now: scenario.now)
        #expect(planner.jobsToStart(now: scenario.now) == [.delivery(paced)], "without a limit the last one goes at once")
    }

    @Test("a limit of 999 a second gives 999 attempts a second on a millisecond clock, and no second holds more")
    func highRateLimitsAreKept() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let webhook = try scenario.createWebhook(in: workspace)
        try scenario.run(.updateWebhook(webhook, url: nil, events: nil, rateLimit: .limit(999)))
        try scenario.send(2_100, to: workspace)
        var planner = DeliveryPlanner(concurrency: 8)
        planner.start(with: scenario.state, now: scenario.now)

        var starts: [Int64] = []
        while starts.count < 2_000 {
            if planner.jobsToStart(now: scenario.now) == [.delivery(webhook)] {
                starts.append(scenario.now.milliseconds - Scenario.start.milliseconds)
                try scenario.attemptHead(of: webhook, answering: .status(200))
                planner.finished(.delivery(webhook), failed: false, state: scenario.state, now: scenario.now)
            }
            let next = planner.nextWakeUp()
            scenario.advance(scenario.now.duration(to: try #require(next)))
        }
        #expect(starts.filter { $0 < 1_000 }.count == 999)
        #expect(starts.filter { $0 < 2_000 }.count == 1_998)
        #expect((0..<(starts.count - 999)).allSatisfy { starts[$0 + 999] - starts[$0] >= 1_000 },
                "any 1,000 attempts in a row span a second or more")
    }
}
