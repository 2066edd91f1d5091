import HookLogCore

/// The test sends waiting for the engine to give them a slot (docs/rules.md §2.2: "`POST /v1/webhooks/{id}/test`
/// takes a slot like any attempt"): each one's job, its workspace, and the continuation its caller waits on, until
/// the scheduler starts it, its caller goes away, or the engine stops.
struct TestSendWaiters {
    private struct Waiter {
        let workspace: WorkspaceID
        let continuation: CheckedContinuation<Void, any Error>
    }

    private var lastTicket = 0
    private var waiters: [DeliveryJob: Waiter] = [:]

    /// A job for a new test send to `webhook`, told apart from every other by its ticket.
    mutating func newJob(for webhook: WebhookID) -> DeliveryJob {
        lastTicket += 1
        return .testSend(webhook, ticket: lastTicket)
    }

    /// Lets `job`, a test send of `workspace`, wait for its slot on `continuation`.
    mutating func add(_ job: DeliveryJob, of workspace: WorkspaceID, continuation: CheckedContinuation<Void, any Error>) {
        waiters[job] = Waiter(workspace: workspace, continuation: continuation)
    }

    /// Takes `job` out, returning what its caller waits on; nil once it was taken (started, abandoned or failed).
    mutating func take(_ job: DeliveryJob) -> CheckedContinuation<Void, any Error>? {
        waiters.removeValue(forKey: job)?.continuation
    }

    /// Takes every waiter out, returning what their callers wait on.
    mutating func takeAll() -> [CheckedContinuation<Void, any Error>] {
        defer { waiters.removeAll() }
        return waiters.values.map(\.continuation)
    }

    /// The test sends waiting, in the order they were asked, with their workspaces: for an engine that starts.
    var pending: [(job: DeliveryJob, workspace: WorkspaceID)] {
        waiters.map { (job: $0.key, workspace: $0.value.workspace) }.sorted { Self.ticket(of: $0.job) < Self.ticket(of: $1.job) }
    }

    private static func ticket(of job: DeliveryJob) -> Int {
        if case .testSend(_, let ticket) = job { ticket } else { 0 }
    }
}
