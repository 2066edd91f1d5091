import HookLogCore

/// How many deliveries one commit may bring (docs/rules.md §3.3): the writer takes the requests of a group commit in
/// order until their events fan out to ``deliveries``, and leaves the rest for the next commit. A request that
/// crosses the bound is split between its events: its first part ends with the event that reaches the bound, its
/// other parts follow in later commits, behind the requests that came meanwhile, and it is answered once every part
/// is durable. One event is never split, so an event to more webhooks than the bound is a part of its own.
///
/// So however large one workspace's requests, a commit holds a few thousand deliveries, and other workspaces' appends
/// wait for one part, never for a whole request.
struct CommitBudget {
    /// The deliveries one commit brings before it is closed to further events.
    static let deliveries = 4096

    /// The deliveries the commit's events fan out to so far.
    private(set) var spent = 0

    /// Whether the commit takes no more events.
    var isSpent: Bool { spent >= Self.deliveries }

    /// Counts the deliveries `entries`, records just decided, fan out to.
    mutating func charge(_ entries: [LoggedRecord]) {
        for entry in entries {
            if case .eventReceived(let fact) = entry.record.fact { spent += fact.deliveries.count }
        }
    }
}
