public import HookLogCore

/// Where the log's history starts once it has been compacted (docs/rules.md §3.7): records older than `at`, at or
/// before sequence `through`, may be gone if they only concerned finished history.
public struct HistoryStart: Hashable, Sendable {
    /// The cut-off of the last cut: history from this time on is whole.
    public var at: Timestamp
    /// The last sequence the last cut may have removed.
    public var through: UInt64

    /// The start of a history cut at `through`, behind the cut-off `at`.
    public init(at: Timestamp, through: UInt64) {
        self.at = at
        self.through = through
    }

    /// Whether a query from `since` (from the beginning when nil) reaches before this start.
    public func isReached(from since: Timestamp?) -> Bool {
        since.map { $0 < at } ?? true
    }
}
