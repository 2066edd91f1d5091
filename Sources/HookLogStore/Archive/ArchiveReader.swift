/// Reads an archive directory: its segments, and the records they hold in sequence order, verifying every segment it
/// reads (``SegmentFormat``).
public struct ArchiveReader: Sendable {
    /// The archive directory.
    public let directory: String

    /// Opens the archive in `directory` for reading; it must exist and be readable.
    ///
    /// - Throws: ``ArchiveError`` saying what is wrong with the directory, in a line fit for the user.
    public init(directory: String) throws(ArchiveError) {
        _ = try ArchiveDirectory.segments(in: directory)
        self.directory = directory
    }

    /// The segments in the directory now, ordered by their first sequence, then by their last.
    public func segments() throws(ArchiveError) -> [ArchiveSegment] {
        try ArchiveDirectory.segments(in: directory)
    }

    /// Calls `body` with each archived record after sequence `after`, in order and each once, until it returns false.
    /// Segments are read one at a time (overlapping ones together), and those that end at or before `after` are not
    /// read at all.
    ///
    /// - Throws: ``ArchiveError`` for a segment that is damaged, naming it, or for two segments that hold different
    ///   bytes for the same sequence; whatever `body` throws.
    public func forEachRecord(after: UInt64 = 0, _ body: (ArchivedRecord) throws -> Bool) throws {
        var cursor = try cursor(after: after)
        while let record = try cursor.next(), try body(record) {}
    }

    /// A cursor over the records after sequence `after`, for reads that interleave them with others.
    func cursor(after: UInt64) throws(ArchiveError) -> ArchiveCursor {
        ArchiveCursor(segments: try segments(), after: after)
    }
}
