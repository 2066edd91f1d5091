/// One segment file of an archive directory, named `segment-<first>-<last>.hla` with both sequences in 20 digits, so
/// that the names sort by sequence.
public struct ArchiveSegment: Hashable, Sendable {
    /// The file's path: the archive directory, a slash, and the file's name.
    public let path: String
    /// The sequence of the segment's first record, as its name says.
    public let firstSequence: UInt64
    /// The sequence of the segment's last record, as its name says.
    public let lastSequence: UInt64

    /// How segment files end; other files in an archive directory, such as a write's temporary file, are not segments.
    private static let fileExtension = ".hla"
    private static let prefix = "segment-"
    private static let digits = 20

    /// The segment of `directory` that holds records `first` to `last`.
    init(first: UInt64, last: UInt64, in directory: String) {
        firstSequence = first
        lastSequence = last
        path = directory + "/" + Self.prefix + Self.padded(first) + "-" + Self.padded(last) + Self.fileExtension
    }

    /// The segment that the file `name` of `directory` is, or nil when the name is not a segment's.
    init?(fileName name: String, in directory: String) {
        guard name.hasPrefix(Self.prefix), name.hasSuffix(Self.fileExtension) else { return nil }
        let range = name.dropFirst(Self.prefix.count).dropLast(Self.fileExtension.count).split(separator: "-")
        guard range.count == 2, range.allSatisfy(Self.isSequence),
            let first = UInt64(range[0]), let last = UInt64(range[1]), first <= last
        else { return nil }
        self.init(first: first, last: last, in: directory)
    }

    /// The records the segment holds, in ascending sequence order, read and verified (``SegmentFormat``).
    public func records() throws(ArchiveError) -> [ArchivedRecord] {
        try SegmentFormat.decode(try SegmentFile.read(path), of: self)
    }

    /// Whether `text` spells a sequence as segment names do: in 20 decimal digits.
    private static func isSequence(_ text: Substring) -> Bool {
        text.count == digits && text.allSatisfy { ("0"..."9").contains($0) }
    }

    /// `sequence` in 20 digits, zeros first.
    private static func padded(_ sequence: UInt64) -> String {
        let digits = String(sequence)
        return String(repeating: "0", count: Self.digits - digits.count) + digits
    }
}
