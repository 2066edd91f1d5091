public import HookLogCore

/// What `hooklog simulate` should write: a deterministic history of workspaces, webhooks and events delivered to
/// simulated endpoints in virtual time, with successes, failures, retries, drops, disables, e-mails and enables.
public struct Simulation: Sendable {
    /// Workspaces to create; about one in five is on a plan below advanced and gets no webhooks.
    public var workspaces: Int
    /// Webhooks to create, spread over the workspaces that allow them.
    public var webhooks: Int
    /// Events to ingest.
    public var events: Int
    /// The chance that an attempt to a healthy endpoint fails.
    public var failureRate: Double
    /// Fixes every choice: the same seed writes the same log.
    public var seed: UInt64
    /// Records per append (one transaction each).
    public var batchSize: Int = 5_000
    /// When the virtual clock starts.
    public var start = Timestamp(seconds: 1_767_225_600)
    /// With a retention, the history is compacted now and then, as the service would: after an event, with the
    /// chance `compactionChance`, and once more at the end, the log is cut at the retention's cut-off and what the cut
    /// allows is removed.
    public var retention: Duration?
    /// The chance, after each event, of a compaction when there is a retention.
    public var compactionChance = 0.01

    /// A simulation of the given size.
    public init(workspaces: Int, webhooks: Int, events: Int, failureRate: Double, seed: UInt64) {
        self.workspaces = workspaces
        self.webhooks = webhooks
        self.events = events
        self.failureRate = failureRate
        self.seed = seed
    }
}

/// What a simulation wrote.
public struct SimulationSummary: Sendable {
    /// Records appended.
    public var records: Int
    /// Counts of records by type name.
    public var recordTypes: [String: Int]
    /// The virtual time span the history covers.
    public var virtualStart: Timestamp
    public var virtualEnd: Timestamp
    /// The state the history folds into, as the store it was written to holds it at the end.
    public var state: HookLogState
    /// Records compactions removed (none without a retention).
    public var compacted = 0
}
