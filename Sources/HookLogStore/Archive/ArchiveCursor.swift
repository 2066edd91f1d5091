/// The records of an archive after a sequence, in sequence order, each once, read one group of overlapping segments at
/// a time: a segment alone, unless a compaction interrupted before it removed what it archived made the next one
/// archive some records again.
struct ArchiveCursor {
    /// The groups not read yet, each of segments whose ranges overlap, in sequence order.
    private var groups: ArraySlice<[ArchiveSegment]>
    /// The records of the group being read that have not been returned yet.
    private var records: ArraySlice<ArchivedRecord> = []
    /// The segments of the group being read, for errors that name where a record came from.
    private(set) var segments: [ArchiveSegment] = []
    private let after: UInt64

    /// A cursor over the records of `segments`, which are in ``ArchiveDirectory/segments(in:)``'s order, after
    /// sequence `after`; segments that end at or before `after` are not read.
    init(segments: [ArchiveSegment], after: UInt64) {
        var groups: [[ArchiveSegment]] = []
        var groupEnd: UInt64 = 0
        for segment in segments {
            if let last = groups.indices.last, segment.firstSequence <= groupEnd {
                groups[last].append(segment)
                groupEnd = max(groupEnd, segment.lastSequence)
            } else {
                groups.append([segment])
                groupEnd = segment.lastSequence
            }
        }
        self.groups = groups.filter { group in group.contains { $0.lastSequence > after } }[...]
        self.after = after
    }

    /// The next record, or nil after the last.
    mutating func next() throws(ArchiveError) -> ArchivedRecord? {
        while records.isEmpty {
            guard let group = groups.popFirst() else { return nil }
            segments = group
            var sources: [(name: String, records: [ArchivedRecord])] = []
            for segment in group { sources.append((segment.path, try segment.records())) }
            records = try ArchivedRecord.merging(sources).drop { $0.sequence <= after }
        }
        return records.popFirst()
    }
}
