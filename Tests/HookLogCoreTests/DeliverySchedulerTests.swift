import HookLogCore
import Testing

@Suite("The delivery scheduler")
struct DeliverySchedulerTests {
    let now = Timestamp(seconds: 1_800_000_000)
    let acme = WorkspaceID("ws_acme")
    let globex = WorkspaceID("ws_globex")
    let initech = WorkspaceID("ws_initech")
    let a = DeliveryJob.delivery(WebhookID("wh_a"))
    let b = DeliveryJob.delivery(WebhookID("wh_b"))
    let c = DeliveryJob.delivery(WebhookID("wh_c"))

    /// `count` queue heads of webhooks named `wh_<name>0`, `wh_<name>1`, …
    func jobs(_ name: String, _ count: Int) -> [DeliveryJob] {
        (0..<count).map { DeliveryJob.delivery(WebhookID("wh_\(name)\($0)")) }
    }

    /// Starts jobs until the scheduler hands out no more.
    func startAll(_ scheduler: inout DeliveryScheduler) -> [DeliveryJob] {
        var started: [DeliveryJob] = []
        while let job = scheduler.next() { started.append(job) }
        return started
    }

    @Test("within a workspace, due jobs run round-robin, and a job due again after finishing goes to the back of the line")
    func roundRobin() {
        var scheduler = DeliveryScheduler(concurrency: 1)
        for job in [a, b, c] { scheduler.schedule(job, of: acme, at: now, now: now) }
        #expect(scheduler.next() == a)
        #expect(scheduler.next() == nil, "the cap of one is taken")
        scheduler.finish(a, next: now, now: now)
        #expect(scheduler.next() == b)
        scheduler.finish(b, next: now, now: now)
        #expect(scheduler.next() == c)
        scheduler.finish(c, next: nil, now: now)
        #expect(scheduler.next() == a)
        scheduler.finish(a, next: nil, now: now)
        #expect(scheduler.next() == b)
    }

    @Test("a job is never in flight twice, whatever is scheduled while it runs")
    func oneInFlightPerJob() {
        var scheduler = DeliveryScheduler(concurrency: 10)
        scheduler.schedule(a, of: acme, at: now, now: now)
        #expect(scheduler.next() == a)
        scheduler.schedule(a, of: acme, at: now, now: now)
        scheduler.scheduleFirst(a, of: acme)
        #expect(scheduler.next() == nil)
        #expect(scheduler.isInFlight(a))
        #expect(scheduler.load.slotsInUse == 1)
        scheduler.finish(a, next: now, now: now)
        #expect(scheduler.next() == a)
    }

    @Test("a retry waits for its time, and the earliest waiting job sets the next wake-up")
    func retriesWaitForTheirTime() {
        var scheduler = DeliveryScheduler(concurrency: 10)
        scheduler.schedule(a, of: acme, at: now.adding(.seconds(90)), now: now)
        scheduler.schedule(b, of: globex, at: now.adding(.seconds(30)), now: now)
        #expect(scheduler.next() == nil)
        #expect(scheduler.nextWakeUp() == now.adding(.seconds(30)))
        scheduler.advance(to: now.adding(.seconds(30)))
        #expect(scheduler.next() == b)
        #expect(scheduler.next() == nil)
        #expect(scheduler.nextWakeUp() == now.adding(.seconds(90)))
        scheduler.advance(to: now.adding(.seconds(100)))
        #expect(scheduler.next() == a)
    }

    @Test("rescheduling replaces the earlier time, and nil or a cancel takes the job out")
    func reschedule() {
        var scheduler = DeliveryScheduler(concurrency: 10)
        scheduler.schedule(a, of: acme, at: now.adding(.seconds(60)), now: now)
        scheduler.schedule(a, of: acme, at: now.adding(.seconds(10)), now: now)
        #expect(scheduler.nextWakeUp() == now.adding(.seconds(10)))
        scheduler.schedule(a, of: acme, at: nil, now: now)
        #expect(scheduler.nextWakeUp() == nil)
        scheduler.advance(to: now.adding(.seconds(3600)))
        #expect(scheduler.next() == nil)
        scheduler.schedule(b, of: acme, at: now, now: now)
        scheduler.schedule(b, of: acme, at: nil, now: now)
        scheduler.schedule(c, of: acme, at: now, now: now)
        scheduler.cancel(c)
        #expect(scheduler.next() == nil)
        #expect(scheduler.load.workspacesWithWork == 0, "a workspace with nothing due or in flight no longer counts")
    }

    @Test("a thousand due jobs of one workspace cannot keep a newly due one of it from its turn within one round")
    func fairnessWithinAWorkspace() {
        var scheduler = DeliveryScheduler(concurrency: 4)
        let slow = jobs("slow", 1000)
        for job in slow { scheduler.schedule(job, of: acme, at: now, now: now) }
        scheduler.schedule(a, of: acme, at: now, now: now)
        var started: [DeliveryJob] = []
        while let job = scheduler.next() {
            started.append(job)
            scheduler.finish(job, next: job == a ? nil : now, now: now)
            if started.count > 2000 { break }
        }
        #expect(started.firstIndex(of: a) == 1000)
        #expect(Set(started.prefix(1001)).count == 1001)
    }

    @Test("a workspace with one fast webhook gets a slot at once while another holds all it may with a thousand slow ones")
    func aFastTenantIsNotStarvedBySlowOnes() {
        var scheduler = DeliveryScheduler(concurrency: 4)
        for job in jobs("slow", 1000) { scheduler.schedule(job, of: acme, at: now, now: now) }
        let slowStarted = startAll(&scheduler)
        #expect(slowStarted.count == 3, "alone, a workspace takes every slot but the reserve of one")
        #expect(scheduler.load.jobsWaiting == 997)
        scheduler.schedule(b, of: globex, at: now, now: now)
        #expect(scheduler.next() == b, "the newcomer starts at once, in the reserved slot, while the slow attempts run")
        scheduler.finish(b, next: now, now: now)
        #expect(scheduler.next() == b, "and again, as often as its one webhook is due")
        #expect(scheduler.load == {
            var load = DeliveryLoad(concurrency: 4)
            load.slotsInUse = 4
            load.jobsWaiting = 997
            load.workspacesWithWork = 2
            load.slotsPerWorkspace = 1
            return load
        }())
    }

    @Test("workspaces take turns first, then each workspace's webhooks take theirs")
    func roundRobinAcrossWorkspacesThenWebhooks() {
        var scheduler = DeliveryScheduler(concurrency: 1)
        let acmeJobs = jobs("acme", 3)
        let globexJobs = jobs("globex", 1)
        let initechJobs = jobs("initech", 2)
        for job in acmeJobs { scheduler.schedule(job, of: acme, at: now, now: now) }
        for job in globexJobs { scheduler.schedule(job, of: globex, at: now, now: now) }
        for job in initechJobs { scheduler.schedule(job, of: initech, at: now, now: now) }
        var started: [DeliveryJob] = []
        while let job = scheduler.next() {
            started.append(job)
            scheduler.finish(job, next: nil, now: now)
        }
        #expect(started == [acmeJobs[0], globexJobs[0], initechJobs[0], acmeJobs[1], initechJobs[1], acmeJobs[2]])
    }

    @Test("no slot stays idle that a workspace could use: beyond its share it takes the free slots but the reserve")
    func idleSlotsAreUsed() {
        var scheduler = DeliveryScheduler(concurrency: 16)
        for job in jobs("acme", 100) { scheduler.schedule(job, of: acme, at: now, now: now) }
        for job in jobs("globex", 100) { scheduler.schedule(job, of: globex, at: now, now: now) }
        let started = startAll(&scheduler)
        #expect(scheduler.share.reserve == 1)
        #expect(started.count == 15, "both workspaces beyond their share of 7 use the free slots, all but the reserve")
        let acmeSlots = started.count { job in
            if case .delivery(let webhookID) = job { webhookID.rawValue.hasPrefix("wh_acme") } else { false }
        }
        #expect(acmeSlots == 8 && started.count - acmeSlots == 7, "the two take turns: \(started)")
    }

    @Test("a freed slot goes to a workspace below its share before one beyond it, until each holds its share")
    func slotsReturnToTheirShare() {
        var scheduler = DeliveryScheduler(concurrency: 8)
        let slow = jobs("slow", 100)
        for job in slow { scheduler.schedule(job, of: acme, at: now, now: now) }
        var running = startAll(&scheduler)
        #expect(running.count == 7)
        let fast = jobs("fast", 100)
        for job in fast { scheduler.schedule(job, of: globex, at: now, now: now) }
        running += startAll(&scheduler)
        #expect(running.last == fast[0], "the reserve goes to the newcomer")
        for _ in 0..<4 {
            let finished = running.removeFirst()
            scheduler.finish(finished, next: now, now: now)
            running += startAll(&scheduler)
        }
        let acmeSlots = running.count { slow.contains($0) }
        #expect(acmeSlots == 4 && running.count - acmeSlots == 3, "acme gave back what was beyond its share of 3: \(running)")
        #expect(running.count == 7, "the reserve is free again")
    }

    @Test("a test send goes ahead of its workspace's due jobs, but still waits for a slot within its share")
    func testSendTakesASlotOfItsWorkspace() {
        var scheduler = DeliveryScheduler(concurrency: 4)
        let slow = jobs("slow", 10)
        for job in slow { scheduler.schedule(job, of: acme, at: now, now: now) }
        let running = startAll(&scheduler)
        #expect(running.count == 3)
        let acmeTest = DeliveryJob.testSend(WebhookID("wh_acme_test"), ticket: 1)
        scheduler.scheduleFirst(acmeTest, of: acme)
        #expect(scheduler.next() == nil, "acme holds its share; the reserve is not its to take")
        let globexTest = DeliveryJob.testSend(WebhookID("wh_globex_test"), ticket: 2)
        scheduler.scheduleFirst(globexTest, of: globex)
        #expect(scheduler.next() == globexTest)
        scheduler.finish(globexTest, next: nil, now: now)
        scheduler.finish(running[0], next: nil, now: now)
        #expect(scheduler.next() == acmeTest, "acme's freed slot goes to its test before its seven queue heads")
        #expect(scheduler.next() == nil)
    }

    @Test("the share: the cap less a reserve of one slot in sixteen (at least one), divided among the workspaces with work")
    func shareTable() {
        let table: [(concurrency: Int, reserve: Int, alone: Int, amongTwo: Int, amongFiveHundred: Int)] = [
            (1, 0, 1, 1, 1), (2, 1, 1, 1, 1), (4, 1, 3, 1, 1), (16, 1, 15, 7, 1), (256, 16, 240, 120, 1),
        ]
        for row in table {
            let share = FairShare(concurrency: row.concurrency)
            #expect(share.reserve == row.reserve, "cap \(row.concurrency)")
            #expect(share.slots(forEachOf: 1) == row.alone, "cap \(row.concurrency)")
            #expect(share.slots(forEachOf: 2) == row.amongTwo, "cap \(row.concurrency)")
            #expect(share.slots(forEachOf: 500) == row.amongFiveHundred, "cap \(row.concurrency)")
        }
    }
}
