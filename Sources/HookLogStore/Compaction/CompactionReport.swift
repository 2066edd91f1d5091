/// What one compaction pass did (docs/rules.md §3.7).
public struct CompactionReport: Hashable, Sendable {
    /// The last sequence the pass could remove: the last record older than the retention's cut-off.
    public var through: UInt64
    /// The sequence of its `HistoryCompacted`, whose state is the log's base snapshot from now on.
    public var baseSequence: UInt64
    /// Records removed, with their index entries.
    public var removed: Int
    /// Records the pass left because an event they belong to was queued again while it ran.
    public var keptForRequeues: Int
}
