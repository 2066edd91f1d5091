import HookLogCore
import Testing

@Suite("The delivery scheduler")
struct DeliverySchedulerTests {
    let now = Timestamp(seconds: 1_800_000_000)
    let a = DeliveryJob.delivery(WebhookID("wh_a"))
    let b = DeliveryJob.delivery(WebhookID("wh_b"))
    let c = DeliveryJob.delivery(WebhookID("wh_c"))

    @Test("due jobs run round-robin, and a job due again after finishing goes to the back of the line")
    func roundRobin() {
        var scheduler = DeliveryScheduler(concurrency: 1)
        for job in [a, b, c] { scheduler.schedule(job, at: now, now: now) }
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
        scheduler.schedule(a, at: now, now: now)
        #expect(scheduler.next() == a)
        scheduler.schedule(a, at: now, now: now)
        #expect(scheduler.next() == nil)
        #expect(scheduler.inFlight == [a])
        scheduler.finish(a, next: now, now: now)
        #expect(scheduler.next() == a)
    }

    @Test("a retry waits for its time, and the earliest waiting job sets the next wake-up")
    func retriesWaitForTheirTime() {
        var scheduler = DeliveryScheduler(concurrency: 10)
        scheduler.schedule(a, at: now.adding(.seconds(90)), now: now)
        scheduler.schedule(b, at: now.adding(.seconds(30)), now: now)
        #expect(scheduler.next() == nil)
        #expect(scheduler.nextWakeUp() == now.adding(.seconds(30)))
        scheduler.advance(to: now.adding(.seconds(30)))
        #expect(scheduler.next() == b)
        #expect(scheduler.next() == nil)
        #expect(scheduler.nextWakeUp() == now.adding(.seconds(90)))
        scheduler.advance(to: now.adding(.seconds(100)))
        #expect(scheduler.next() == a)
    }

    @Test("rescheduling replaces the earlier time, and nil takes the job out")
    func reschedule() {
        var scheduler = DeliveryScheduler(concurrency: 10)
        scheduler.schedule(a, at: now.adding(.seconds(60)), now: now)
        scheduler.schedule(a, at: now.adding(.seconds(10)), now: now)
        #expect(scheduler.nextWakeUp() == now.adding(.seconds(10)))
        scheduler.schedule(a, at: nil, now: now)
        #expect(scheduler.nextWakeUp() == nil)
        scheduler.advance(to: now.adding(.seconds(3600)))
        #expect(scheduler.next() == nil)
        scheduler.schedule(b, at: now, now: now)
        scheduler.schedule(b, at: nil, now: now)
        #expect(scheduler.next() == nil)
    }

    @Test("a thousand due jobs cannot keep a newly due one from its turn within one round")
    func fairness() {
        var scheduler = DeliveryScheduler(concurrency: 4)
        let slow = (0..<1000).map { DeliveryJob.delivery(WebhookID("wh_slow\($0)")) }
        for job in slow { scheduler.schedule(job, at: now, now: now) }
        scheduler.schedule(a, at: now, now: now)
        var started: [DeliveryJob] = []
        while let job = scheduler.next() {
            started.append(job)
            scheduler.finish(job, next: job == a ? nil : now, now: now)
            if started.count > 2000 { break }
        }
        #expect(started.firstIndex(of: a) == 1000)
        #expect(Set(started.prefix(1001)).count == 1001)
    }
}
