public import HookLogCore
public import ServiceLifecycle

/// The log as the service writes, reads and follows it, whichever backend holds it: the LMDB data directory's
/// ``LogStore`` today, a PostgreSQL log tomorrow (docs/rules.md §5). The HTTP server and the delivery engine know
/// only this protocol.
///
/// What every backend promises: a command's records are decided against the current state by ``Decider`` and
/// returned only once durable; the state and the queries show only durable records; the commit stream brings every
/// durable commit once, in sequence order. As a service it takes writes until its group shuts down, then closes.
public protocol EventLog: Service {
    /// The log's queries.
    var queries: any LogQueries { get }
    /// Decides each command against the current state at `now`, appends the records of those accepted, and returns,
    /// once they are durable, each command's records or the reason it was refused. `commands` are one API request.
    /// A commit the disk has no room for throws ``StoreError/insufficientStorage(_:)`` and writes nothing; the log
    /// takes the next one.
    func execute(_ commands: [Command], at now: Timestamp) async throws -> [Result<[LoggedRecord], DecisionError>]
    /// Reads the state as of the last durable commit.
    func withState<T>(_ body: (HookLogState) throws -> T) rethrows -> T
    /// The records of every commit from now on, one element per commit, in sequence order, until the log closes.
    func commits() -> AsyncStream<[LoggedRecord]>
    /// Why the log accepts no more records; nil while it can be written. The health check reports it.
    var writerFailure: StoreError? { get }
    /// How many commands and records wait to be written: a server answers 429 when this is more than it wants.
    var backlog: Int { get }
    /// Stops taking writes, writes what is queued and lets go of the log; closing a closed log does nothing.
    func close() async
    /// One compaction pass (docs/rules.md §3.7): cuts the log at the last record older than `cutoff`, keeps the state
    /// at the cut as the base snapshot, and removes the finished history up to the cut, evenly over `spread` at most
    /// so that appends meanwhile keep their latency; nil when nothing older than `cutoff` came since the last cut.
    func compact(before cutoff: Timestamp, at now: Timestamp, spread: Duration) async throws -> CompactionReport?
    /// Bytes the log's storage holds free for new records before it needs more of the disk (what compaction gave
    /// back); 0 for a backend that cannot tell.
    func reusableBytes() throws -> UInt64
    /// This node's part in a fleet that shares the log (docs/postgres.md); nil when the node delivers every
    /// workspace's webhooks, as a single node does.
    var fleet: FleetStanding? { get }
    /// The partitions this node delivers now; nil when it delivers every workspace's webhooks.
    var deliveringPartitions: Set<Partition>? { get }
    /// The partitions this node delivers, at each change from now on, until the log closes; a stream that ends at
    /// once when the node delivers every workspace's webhooks.
    func deliveringChanges() -> AsyncStream<Set<Partition>>
    /// Returns once this node's state holds every record committed before the call, by any node that appends to the
    /// log: what a request reads and authenticates against on a fleet's node. Throws
    /// ``StoreError/unavailable(_:)`` when the log's storage does not answer in time.
    func catchUp() async throws
    /// Where a write for `workspace` goes on a fleet (docs/postgres.md): the address of the node that holds the
    /// lease of its partition, when another node that told its address does; nil to serve it on this node.
    func forwardingAddress(for workspace: WorkspaceID) -> String?
    /// What a fleet's nodes put in a request one forwards to another, which the other checks: a secret they share,
    /// so that no client can pass for a forwarding node. Nil for a node that forwards nothing.
    var forwardingToken: String? { get }
    /// Where the dashboard's sessions are kept when every node must know them (a fleet's); nil to keep them in the
    /// node's memory.
    var sharedSessions: (any SharedSessions)? { get }
}

extension EventLog {
    /// Nil: a log of its own, whose node delivers every workspace's webhooks.
    public var fleet: FleetStanding? { nil }

    /// Nil: a log of its own, whose node delivers every workspace's webhooks.
    public var deliveringPartitions: Set<Partition>? { nil }

    /// A stream that ends at once: a log of its own, whose node delivers every workspace's webhooks.
    public func deliveringChanges() -> AsyncStream<Set<Partition>> {
        AsyncStream { $0.finish() }
    }

    /// Returns at once: no other node appends to a log of its own.
    public func catchUp() async throws {}

    /// Nil: a node with a log of its own keeps its dashboard sessions in memory.
    public var sharedSessions: (any SharedSessions)? { nil }

    /// Nil: a node with a log of its own forwards nothing.
    public var forwardingToken: String? { nil }

    /// Nil: a node with a log of its own serves every write.
    public func forwardingAddress(for workspace: WorkspaceID) -> String? { nil }

    /// One compaction pass that removes what it may as fast as it can.
    public func compact(before cutoff: Timestamp, at now: Timestamp) async throws -> CompactionReport? {
        try await compact(before: cutoff, at: now, spread: .zero)
    }

    /// Decides one command at `now` and returns its records once durable; a refusal throws its `DecisionError`.
    public func execute(_ command: Command, at now: Timestamp) async throws -> [LoggedRecord] {
        try await execute([command], at: now)[0].get()
    }
}
