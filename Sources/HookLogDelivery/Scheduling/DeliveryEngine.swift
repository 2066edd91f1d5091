public import HookLogCore
public import HookLogStore
public import Logging
import Synchronization

/// Delivers every webhook's queue as docs/rules.md §2 says, recording each step in the log before the next.
///
/// The engine holds no delivery state of its own: it reads queues and pending e-mails from the store's durable
/// projections, runs the jobs a ``DeliveryPlanner`` hands out (an HTTP attempt of a queue's head, a disable or a
/// warning e-mail, an operations message), and records each outcome through the core's rules
/// (`Command.recordAttempt`, `.recordNotification`, `.recordWarningNotification`, `.recordOperationsAttempt`).
/// New events, enables and recoveries reach it through the store's commit stream. After a restart it resumes every
/// unfinished delivery from the log: a retry that fell due while it was down is attempted at once. Test sends
/// (``withTestSlot(for:of:_:)``) take their slots from the same planner, within their workspace's share.
public final class DeliveryEngine<C: Clock<Duration>>: Sendable where C.Instant == Timestamp {
    let store: any EventLog
    private let sender: HTTPSender<C>
    let notifications: NotificationSettings
    let clock: C
    private let concurrency: Int
    let logger: Logger
    /// How ``finishInFlight()`` and test sends reach a running ``run()``.
    private let control = Mutex(Control())
    /// How the cap was used when the running loop last planned.
    private let currentLoad: Mutex<DeliveryLoad>

    /// An engine over `store` that sends with `sender`, mails through `notifications`, and keeps time with `clock`.
    public init(
        store: any EventLog, sender: HTTPSender<C>, notifications: NotificationSettings, clock: C,
        concurrency: Int = 256, logger: Logger = Logger(label: "hooklog.delivery")
    ) {
        self.store = store
        self.sender = sender
        self.notifications = notifications
        self.clock = clock
        self.concurrency = concurrency
        self.logger = logger
        currentLoad = Mutex(DeliveryLoad(concurrency: concurrency))
    }

    /// What callers outside the running loop share with it.
    private struct Control {
        /// Whether ``finishInFlight()`` was asked.
        var drainRequested = false
        /// Whether no running loop will start a test send: after a run ended.
        var stopped = false
        /// The running loop's signals.
        var signaller: AsyncStream<Signal>.Continuation?
        var testSends = TestSendWaiters()
    }

    /// How the concurrency cap is used now: slots in use, jobs waiting, workspaces with work and their share.
    public var load: DeliveryLoad { currentLoad.withLock { $0 } }

    private enum Signal: Sendable {
        case committed([LoggedRecord])
        /// The partitions this node delivers changed (a fleet's node).
        case delivering(Set<Partition>)
        case finished(DeliveryJob, JobOutcome)
        case wake(Timestamp)
        case drain
        /// A test send waits for a slot of this workspace's share.
        case testRequested(DeliveryJob, WorkspaceID)
        /// A test send's caller went away before it got its slot.
        case testAbandoned(DeliveryJob)
    }

    /// How a job ended.
    private enum JobOutcome: Sendable {
        /// Done, recorded (or cancelled, or nothing to do).
        case done
        /// Failed for a reason of HookLog's own; it runs again after ``DeliveryPlanner/internalFailureBackoff``.
        case failed
        /// The log accepts no more records: the engine stops rather than send what it cannot record.
        case storeUnavailable
    }

    /// Runs until the task is cancelled, or until the log accepts no more records. Attempts under way then are
    /// abandoned unrecorded; the log still holds their deliveries, which the next run resumes (at least once).
    public func run() async {
        let (signals, signaller) = AsyncStream<Signal>.makeStream()
        let commits = store.commits()
        let deliveringChanges = store.deliveringChanges()
        let (draining, pendingTests) = control.withLock { control in
            control.signaller = signaller
            control.stopped = false
            return (control.drainRequested, control.testSends.pending)
        }
        if draining { signaller.yield(.drain) }
        await withDiscardingTaskGroup { group in
            group.addTask {
                for await batch in commits { signaller.yield(.committed(batch)) }
            }
            group.addTask {
                for await partitions in deliveringChanges { signaller.yield(.delivering(partitions)) }
            }
            var planner = DeliveryPlanner(concurrency: concurrency)
            var timer: Timestamp?
            var inFlight = 0
            var draining = false
            let now = clock.now
            let delivering = store.deliveringPartitions
            store.withState { planner.own(delivering, state: $0, now: now) }
            for (job, workspace) in pendingTests { planner.requestTestSend(job, of: workspace) }
            signaller.yield(.wake(now))
            for await signal in signals {
                let now = clock.now
                switch signal {
                case .committed(let batch):
                    store.withState { planner.committed(batch, state: $0, now: now) }
                case .delivering(let partitions):
                    // A partition taken over is planned from the log as its last owner left it.
                    try? await store.catchUp()
                    store.withState { planner.own(partitions, state: $0, now: clock.now) }
                case .finished(_, .storeUnavailable):
                    group.cancelAll()
                    return
                case .finished(let job, let outcome):
                    inFlight -= 1
                    store.withState { planner.finished(job, failed: outcome == .failed, state: $0, now: now) }
                case .wake(let deadline):
                    if timer == deadline { timer = nil }
                case .drain:
                    draining = true
                    failWaitingTestSends()
                case .testRequested(let job, let workspace):
                    planner.requestTestSend(job, of: workspace)
                case .testAbandoned(let job):
                    planner.cancel(job)
                }
                if draining {
                    guard inFlight > 0 else { break }
                    continue
                }
                for job in planner.jobsToStart(now: now) {
                    inFlight += 1
                    if case .testSend = job {
                        startTestSend(job, signaller: signaller)
                        continue
                    }
                    group.addTask {
                        signaller.yield(.finished(job, await self.perform(job)))
                    }
                }
                currentLoad.withLock { $0 = planner.load }
                if let wake = planner.nextWakeUp(), timer.map({ wake < $0 }) ?? true {
                    timer = wake
                    group.addTask {
                        try? await self.clock.sleep(until: wake, tolerance: nil)
                        signaller.yield(.wake(wake))
                    }
                }
            }
            group.cancelAll()
        }
        control.withLock { control in
            control.signaller = nil
            control.stopped = true
        }
        failWaitingTestSends()
    }

    /// Runs `send`, a test send to `webhook` of `workspace`, in a slot of the concurrency cap: it waits, ahead of the
    /// workspace's other due jobs, until the planner gives it a slot within the workspace's share (docs/rules.md
    /// §2.2), and frees the slot when `send` returns. Throws ``DeliveryStopped`` when the engine is stopping or has
    /// stopped, and `CancellationError` when the caller is cancelled before its turn.
    public func withTestSlot<T: Sendable>(
        for webhook: WebhookID, of workspace: WorkspaceID, _ send: () async throws -> T
    ) async throws -> T {
        let job = control.withLock { $0.testSends.newJob(for: webhook) }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let refusal: (any Error)? = control.withLock { control in
                    if Task.isCancelled { return CancellationError() }
                    if control.drainRequested || control.stopped { return DeliveryStopped() }
                    control.testSends.add(job, of: workspace, continuation: continuation)
                    control.signaller?.yield(.testRequested(job, workspace))
                    return nil
                }
                if let refusal { continuation.resume(throwing: refusal) }
            }
        } onCancel: {
            let waiting = control.withLock { control in
                control.testSends.take(job).map { waiting in
                    control.signaller?.yield(.testAbandoned(job))
                    return waiting
                }
            }
            waiting?.resume(throwing: CancellationError())
        }
        defer { control.withLock { _ = $0.signaller?.yield(.finished(job, .done)) } }
        return try await send()
    }

    /// Gives a test send the slot the planner started it in; one whose caller went away meanwhile finishes at once.
    private func startTestSend(_ job: DeliveryJob, signaller: AsyncStream<Signal>.Continuation) {
        if let waiting = control.withLock({ $0.testSends.take(job) }) {
            waiting.resume()
        } else {
            signaller.yield(.finished(job, .done))
        }
    }

    /// Refuses every test send still waiting for a slot: the engine starts no more jobs.
    private func failWaitingTestSends() {
        for waiting in control.withLock({ $0.testSends.takeAll() }) { waiting.resume(throwing: DeliveryStopped()) }
    }

    /// Asks a running (or the next) ``run()`` to start no more jobs and to return once the attempts and e-mails
    /// under way are finished and recorded: the graceful half of stopping, where cancelling is the abrupt one.
    public func finishInFlight() {
        control.withLock { control in
            control.drainRequested = true
            control.signaller?.yield(.drain)
        }
    }

    /// Runs a job and says how it ended; failures are logged here. A test send runs in its caller's task instead
    /// (``withTestSlot(for:of:_:)``), so it has nothing to do here.
    private func perform(_ job: DeliveryJob) async -> JobOutcome {
        guard delivers(job) else { return .done }
        do {
            switch job {
            case .delivery(let webhookID): try await attempt(webhookID)
            case .notification(let webhookID): try await notify(webhookID)
            case .warning(let workspaceID): try await warn(workspaceID)
            case .operations(let workspaceID): try await sendOperationsMessage(of: workspaceID)
            case .testSend: break
            }
            return .done
        } catch is CancellationError {
            return .done
        } catch let error as StoreError {
            switch error {
            case .writerFailed, .closed:
                logger.critical("the log accepts no more records; delivery stops: \(error)")
                return .storeUnavailable
            default:
                logger.error("\(job) failed and waits \(DeliveryPlanner.internalFailureBackoff) before it runs again: \(error)")
                return .failed
            }
        } catch {
            logger.error("\(job) failed and waits \(DeliveryPlanner.internalFailureBackoff) before it runs again: \(error)")
            return .failed
        }
    }

    /// Whether this node delivers `job` now: every job on a single node; on a fleet's, those of the partitions it
    /// holds leases on that outlast an attempt started now, which a change the planner has not heard of yet may have
    /// taken away. Asked as a job starts and again just before its request goes out. The outcome of a job whose
    /// partition was taken meanwhile is refused (`not_owner`): the job fails, and waits the internal backoff, by
    /// when the planner has handed it over.
    private func delivers(_ job: DeliveryJob) -> Bool {
        guard let delivering = store.deliveringPartitions,
              let workspace = store.withState({ job.workspace(in: $0) })
        else { return true }
        return delivering.contains(Partition(of: workspace))
    }

    /// Sends the head of the webhook's queue once and records the outcome (docs/rules.md §2.1, §2.3–§2.5).
    private func attempt(_ webhookID: WebhookID) async throws {
        let now = clock.now
        guard let (webhook, head) = store.withState({ state -> (Webhook, QueuedDelivery)? in
            guard let webhook = state.webhooks[webhookID], webhook.status == .active,
                  let head = state.queues[webhookID]?.head, head.nextAttemptAt <= now
            else { return nil }
            return (webhook, head)
        }) else { return }
        guard let entry = try await store.queries.record(at: head.reference.eventSequence),
              case .eventReceived(let event) = entry.record.fact
        else {
            throw StoreError.missingRecord(head.reference.eventSequence)
        }
        let request = try WebhookRequest(delivering: event, to: webhook, at: now)
        guard delivers(.delivery(webhookID)) else { return }
        let result = await sender.send(request)
        try Task.checkCancellation()
        let report = AttemptReport(
            webhookID: webhookID, deliveryID: head.reference.deliveryID, startedAt: result.startedAt,
            durationMilliseconds: result.durationMilliseconds, outcome: result.outcome,
            responseSnippet: result.responseSnippet)
        do {
            try await record(.recordAttempt(report), of: "the attempt of \(head.reference.deliveryID)")
        } catch let refusal as DecisionError where refusal.code != .notOwner {
            logger.warning("attempt of \(head.reference.deliveryID) not recorded: \(refusal)")
        }
    }

    /// Sends the head of the workspace's operations queue to its operations webhook once, signed with that webhook's
    /// secret, and records the outcome (docs/rules.md §2.8).
    private func sendOperationsMessage(of workspaceID: WorkspaceID) async throws {
        let now = clock.now
        guard let (webhook, head) = store.withState({ state -> (OperationsWebhook, OperationsMessage)? in
            guard let webhook = state.operationsWebhooks[workspaceID], let head = webhook.head, head.nextAttemptAt <= now
            else { return nil }
            return (webhook, head)
        }) else { return }
        let request = try WebhookRequest(
            url: webhook.url, messageID: head.id, body: Array(head.body.utf8), secret: webhook.secret)
        guard delivers(.operations(workspaceID)) else { return }
        let result = await sender.send(request)
        try Task.checkCancellation()
        let report = OperationsAttemptReport(
            workspaceID: workspaceID, messageID: head.id, startedAt: result.startedAt,
            durationMilliseconds: result.durationMilliseconds, outcome: result.outcome,
            responseSnippet: result.responseSnippet)
        do {
            try await record(.recordOperationsAttempt(report), of: "the operations message \(head.id)")
        } catch let refusal as DecisionError where refusal.code != .notOwner {
            logger.warning("operations message \(head.id) not recorded: \(refusal)")
        }
    }

    /// Records the outcome of an attempt or e-mail that was made (`job` names it in the log). While the disk has no
    /// room for it (``StoreError/insufficientStorage(_:)``) it is recorded again every ``storageRetryDelay``, rather
    /// than dropped and the request sent again, until the log takes it; a graceful shutdown stops the retries, and
    /// the unrecorded job runs again after the restart (at least once).
    func record(_ command: Command, of job: String) async throws {
        var refused = false
        while true {
            do {
                _ = try await store.execute(command, at: clock.now)
                return
            } catch StoreError.insufficientStorage(let reason) where !control.withLock(\.drainRequested) {
                if !refused {
                    logger.warning("no room on the disk to record \(job); trying every \(Self.storageRetryDelay): \(reason)")
                    refused = true
                }
                try await clock.sleep(for: Self.storageRetryDelay)
            }
        }
    }

    /// How long a record the disk had no room for waits before it is written again.
    public static var storageRetryDelay: Duration { .seconds(1) }
}
