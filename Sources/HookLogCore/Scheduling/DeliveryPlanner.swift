/// The delivery engine's brain as a value (docs/rules.md §2.2, §2.5): which jobs are due and when, which start
/// next under the fair concurrency cap, and when to wake up. It reads the projections it is handed and performs
/// nothing: the engine runs its jobs over HTTP and SMTP on the wall clock, the simulator runs them against
/// simulated endpoints on a virtual clock, and both feed back the same inputs, so both decide alike.
public struct DeliveryPlanner: Sendable {
    /// How long a job that failed for a reason of HookLog's own (not the endpoint's) waits before it runs again.
    public static var internalFailureBackoff: Duration { .seconds(30) }

    private var scheduler: DeliveryScheduler
    /// Holds rate-limited webhooks' attempts to their limits.
    private var pacing = DeliveryPacing()
    /// The partitions whose workspaces' jobs this planner runs (a fleet node's); nil for every workspace.
    private var owned: Set<Partition>?

    /// A planner that lets at most `concurrency` jobs run at once.
    public init(concurrency: Int) {
        scheduler = DeliveryScheduler(concurrency: concurrency)
    }

    /// Jobs due now and waiting for a free slot.
    public var readyCount: Int { scheduler.readyCount }

    /// How the cap is used now.
    public var load: DeliveryLoad { scheduler.load }

    /// Plans every job `state` holds: at start-up, where a retry that fell due while the service was down is due now.
    /// Webhooks, then workspaces with a warning e-mail to send, then those with an operations webhook, are taken in
    /// id order, so that the same state always plans alike.
    public mutating func start(with state: HookLogState, now: Timestamp) {
        for webhookID in state.webhooks.keys.sorted() {
            for job in [DeliveryJob.delivery(webhookID), .notification(webhookID)] {
                plan(job, at: state.due(job), state: state, now: now)
            }
        }
        for workspaceID in state.warningNotifications.keys.sorted() {
            plan(.warning(workspaceID), at: state.due(.warning(workspaceID)), state: state, now: now)
        }
        for workspaceID in state.operationsWebhooks.keys.sorted() {
            plan(.operations(workspaceID), at: state.due(.operations(workspaceID)), state: state, now: now)
        }
    }

    /// Runs only the jobs of workspaces in `partitions` (every workspace when nil) from now on, planning every job
    /// of `state` again: those of partitions taken over are due as `state` says, those of partitions given up are
    /// taken out of the plan. A job of a partition given up that is in flight finishes, and is not planned again.
    public mutating func own(_ partitions: Set<Partition>?, state: HookLogState, now: Timestamp) {
        owned = partitions
        start(with: state, now: now)
    }

    /// Whether this planner runs the jobs of `workspace`.
    private func owns(_ workspace: WorkspaceID) -> Bool {
        owned.map { $0.contains(Partition(of: workspace)) } ?? true
    }

    /// Plans again the jobs that `records`, just committed and folded into `state`, may have changed, in the order
    /// the records first touch them, so that the same records always plan alike.
    public mutating func committed(_ records: some Sequence<LoggedRecord>, state: HookLogState, now: Timestamp) {
        var touched = Set<DeliveryJob>()
        for entry in records {
            for job in entry.record.fact.touchedJobs(in: state) where touched.insert(job).inserted {
                plan(job, at: state.due(job), state: state, now: now)
            }
        }
    }

    /// Plans a test send (`DeliveryJob.testSend`) of a webhook of `workspace`: due now, ahead of the workspace's
    /// other jobs, in a slot of its share like any attempt.
    public mutating func requestTestSend(_ job: DeliveryJob, of workspace: WorkspaceID) {
        scheduler.scheduleFirst(job, of: workspace)
    }

    /// Takes a job that has not started out of the plan: a test send whose caller went away.
    public mutating func cancel(_ job: DeliveryJob) {
        scheduler.cancel(job)
    }

    /// Plans `job` at `time` in the share of its workspace, later if its webhook's rate limit holds it back; a job
    /// whose webhook `state` no longer holds has nothing to do.
    private mutating func plan(_ job: DeliveryJob, at time: Timestamp?, state: HookLogState, now: Timestamp) {
        guard let workspace = job.workspace(in: state), owns(workspace) else {
            if case .delivery(let webhookID) = job { pacing.follow(webhookID, limit: nil) }
            return scheduler.cancel(job)
        }
        scheduler.schedule(job, of: workspace, at: paced(job, at: time, state: state), now: now)
    }

    /// When `job`, due at `time`, may run under its webhook's rate limit in `state`: only delivery attempts are paced.
    private mutating func paced(_ job: DeliveryJob, at time: Timestamp?, state: HookLogState) -> Timestamp? {
        guard case .delivery(let webhookID) = job, let time else { return time }
        pacing.follow(webhookID, limit: state.webhooks[webhookID]?.rateLimit)
        return pacing.start(of: webhookID, dueAt: time)
    }

    /// Marks `job` finished and plans its next run from `state`; a job that `failed` for a reason of HookLog's own
    /// waits ``internalFailureBackoff`` first.
    public mutating func finished(_ job: DeliveryJob, failed: Bool, state: HookLogState, now: Timestamp) {
        let due = job.workspace(in: state).map(owns) == true ? state.due(job) : nil
        let next = failed ? due.map { max($0, now.adding(Self.internalFailureBackoff)) } : due
        scheduler.finish(job, next: paced(job, at: next, state: state), now: now)
    }

    /// The jobs to start now, round-robin across workspaces then within each, as many as the cap and the workspaces'
    /// shares allow (``FairShare``); each is in flight until
    /// ``finished(_:failed:state:now:)``.
    public mutating func jobsToStart(now: Timestamp) -> [DeliveryJob] {
        scheduler.advance(to: now)
        var jobs: [DeliveryJob] = []
        while let job = scheduler.next() {
            switch job {
            case .delivery(let webhookID), .testSend(let webhookID, _): pacing.started(webhookID, at: now)
            case .notification, .warning, .operations: break
            }
            jobs.append(job)
        }
        return jobs
    }

    /// When the earliest planned job falls due, if any.
    public mutating func nextWakeUp() -> Timestamp? {
        scheduler.nextWakeUp()
    }
}
