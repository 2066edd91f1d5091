import HookLogCore

/// Records a compaction pass found removable, with every key they are listed under, ready for the writer to delete
/// in the transaction of one group commit (docs/rules.md §3.7).
public struct CompactionChunk: Sendable {
    /// One record to remove.
    public struct Removal: Sendable {
        /// The record's sequence.
        public var sequence: UInt64
        /// The record as the log holds it, for the archive.
        public var bytes: [UInt8]
        /// The sequences of the events whose history the record belongs to: should a delivery of one of them be
        /// requested again before the writer removes it, the record stays.
        var events: [UInt64]
        /// Every index entry that may list the record; entries it turns out not to have are no harm.
        var indexEntries: [IndexEntry]
        /// The names those entries list the record under, by index, which the id table forgets once their index lists
        /// nothing under them.
        var names: [NamedIndex.Kind: Set<IndexedName>]
    }

    /// The records to remove, in sequence order.
    public var removals: [Removal] = []
    /// The webhooks each event's deliveries went to, for those of `removals` that belong to an event.
    var targets: [UInt64: [WebhookID]] = [:]
}
