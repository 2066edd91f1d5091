/// What the writer did with a compaction's chunk: the records it removed, and the events whose records it kept
/// because a delivery of theirs was queued again since the compaction's base.
struct ChunkRemoval: Sendable {
    var removed: Int
    var keptEvents: Set<UInt64>
}
