/// Writes records that compaction is about to remove from the log into segment files of an archive directory, each
/// durable on the disk before ``write(records:)`` returns.
///
/// One writer at a time writes to a directory: the one in the process that holds the data directory's lock.
public struct ArchiveWriter: Sendable {
    /// The archive directory.
    public let directory: String

    /// A writer into `directory`, which is created with mode 0700 at the first write if it is missing (its parent must
    /// exist).
    public init(directory: String) {
        self.directory = directory
    }

    /// Writes `records` as one segment and returns its path once the segment and its name are on the disk; writes
    /// nothing and returns nil when `records` is empty.
    ///
    /// The segment is written to a temporary file created with `O_EXCL` and mode 0600, flushed, renamed to the name
    /// ``ArchiveSegment`` gives its range, and the directory flushed. Archiving a range again, as a compaction
    /// interrupted before it removed the records does, is safe: a segment of the same range already there is kept
    /// if it holds the records, or replaced in one step by one holding its records and these; other overlapping
    /// segments are left for the reader to merge.
    ///
    /// - Parameter records: the records in strictly ascending sequence order, with the bytes the log stores for them.
    /// - Throws: ``ArchiveError`` when the records are out of order, when a segment of the same range is damaged or
    ///   holds different bytes for one of them, or when a file or the directory cannot be written.
    @discardableResult
    public func write(records: [ArchivedRecord]) throws(ArchiveError) -> String? {
        guard let first = records.first, let last = records.last else { return nil }
        for (previous, next) in zip(records, records.dropFirst()) where next.sequence <= previous.sequence {
            throw .unorderedRecords(previous: previous.sequence, next: next.sequence)
        }
        try ArchiveDirectory.create(directory)
        let segment = ArchiveSegment(first: first.sequence, last: last.sequence, in: directory)
        var archived: [ArchivedRecord] = []
        if SegmentFile.exists(segment.path) {
            archived = try segment.records()
        }
        let contents = try ArchivedRecord.merging([(segment.path, archived), ("the records to archive", records)])
        if contents != archived {
            let temporary = segment.path + ".tmp"
            let file: [UInt8]
            do {
                file = try SegmentFormat.encode(contents)
            } catch {
                throw .fileOperationFailed(temporary, operation: "compress the records for", reason: "\(error)")
            }
            try SegmentFile.create(temporary, contents: file)
            try SegmentFile.move(temporary, to: segment.path)
        }
        try ArchiveDirectory.sync(directory)
        return segment.path
    }
}
