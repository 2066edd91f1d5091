/// The delivery engine's brain as a value (docs/rules.md §2.2, §2.5): which jobs are due and when, which start
/// next under the fair concurrency cap, and when to wake up. It reads the projections it is handed and performs
/// nothing: the engine runs its jobs over HTTP and SMTP on the wall clock, the simulator runs them against
/// simulated endpoints on a virtual clock, and both feed back the same inputs, so both decide alike.
public struct DeliveryPlanner: Sendable {
    /// How long a job that failed for a reason of HookLog's own (not the endpoint's) waits before it runs again.
    public static var internalFailureBackoff: Duration { .seconds(30) }

    private var scheduler: DeliveryScheduler

    /// A planner that lets at most `concurrency` jobs run at once.
    public init(concurrency: Int) {
        scheduler = DeliveryScheduler(concurrency: concurrency)
    }

    /// Jobs due now and waiting for a free slot.
    public var readyCount: Int { scheduler.readyCount }

    /// Plans every job `state` holds: at start-up, where a retry that fell due while the service was down is due now.
    /// Webhooks are taken in id order, so that the same state always plans alike.
    public mutating func start(with state: HookLogState, now: Timestamp) {
        for webhookID in state.webhooks.keys.sorted() {
            for job in [DeliveryJob.delivery(webhookID), .notification(webhookID)] {
                scheduler.schedule(job, at: state.due(job), now: now)
            }
        }
    }

    /// Plans again the jobs that `records`, just committed and folded into `state`, may have changed, in the order
    /// the records first touch them, so that the same records always plan alike.
    public mutating func committed(_ records: some Sequence<LoggedRecord>, state: HookLogState, now: Timestamp) {
        var touched = Set<DeliveryJob>()
        for entry in records {
            for job in entry.record.fact.touchedJobs where touched.insert(job).inserted {
                scheduler.schedule(job, at: state.due(job), now: now)
            }
        }
    }

    /// Marks `job` finished and plans its next run from `state`; a job that `failed` for a reason of HookLog's own
    /// waits ``internalFailureBackoff`` first.
    public mutating func finished(_ job: DeliveryJob, failed: Bool, state: HookLogState, now: Timestamp) {
        let due = state.due(job)
        scheduler.finish(job, next: failed ? due.map { max($0, now.adding(Self.internalFailureBackoff)) } : due, now: now)
    }

    /// The jobs to start now, in round-robin order, as many as the cap allows; each is in flight until
    /// ``finished(_:failed:state:now:)``.
    public mutating func jobsToStart(now: Timestamp) -> [DeliveryJob] {
        scheduler.advance(to: now)
        var jobs: [DeliveryJob] = []
        while let job = scheduler.next() { jobs.append(job) }
        return jobs
    }

    /// When the earliest planned job falls due, if any.
    public mutating func nextWakeUp() -> Timestamp? {
        scheduler.nextWakeUp()
    }
}
