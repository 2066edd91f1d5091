/// Why the archive could not be written or read; each description is one line for the user, naming the directory or
/// the segment file concerned.
public enum ArchiveError: Error, Sendable, CustomStringConvertible {
    /// The archive directory does not exist.
    case missingDirectory(String)
    /// The path names something other than a directory.
    case notADirectory(String)
    /// The directory cannot be listed or created, for `reason`.
    case unusableDirectory(String, reason: String)
    /// A system call on a file failed: what was tried, on which path, and the system's text for the error.
    case fileOperationFailed(String, operation: String, reason: String)
    /// The records handed to the writer are not in strictly ascending sequence order.
    case unorderedRecords(previous: UInt64, next: UInt64)
    /// The file does not start with a segment's magic bytes.
    case badMagic(String)
    /// The segment is of a format version this build does not read.
    case unknownVersion(String, UInt8)
    /// The file is shorter than a whole segment: than a header and a checksum, or than its header announces.
    case truncated(String, bytes: Int, expected: UInt64)
    /// The checksum stored in the segment does not match its contents.
    case checksumMismatch(String)
    /// The segment's checksum matches but what it holds is inconsistent, for `reason`.
    case malformed(String, reason: String)
    /// Two sources hold different bytes for the same sequence: two segments, or a segment and the records being
    /// archived.
    case conflictingRecord(sequence: UInt64, String, String)
    /// The log and the archive hold different bytes for the same sequence; the segments are those being read.
    case differsFromLog(sequence: UInt64, segments: [String])

    public var description: String {
        switch self {
        case .missingDirectory(let path):
            "archive directory \(path) does not exist"
        case .notADirectory(let path):
            "archive directory \(path) is not a directory"
        case .unusableDirectory(let path, let reason):
            "archive directory \(path) cannot be used: \(reason)"
        case .fileOperationFailed(let path, let operation, let reason):
            "cannot \(operation) \(path): \(reason)"
        case .unorderedRecords(let previous, let next):
            "records to archive must be in ascending sequence order, and \(next) follows \(previous)"
        case .badMagic(let path):
            "\(path) is not a HookLog archive segment (bad magic)"
        case .unknownVersion(let path, let version):
            "\(path) is an archive segment of format \(version); this build reads format \(SegmentFormat.version)"
        case .truncated(let path, let bytes, let expected):
            "\(path) is truncated: it has \(bytes) bytes, and a whole segment has at least \(expected)"
        case .checksumMismatch(let path):
            "\(path) is corrupt: its checksum does not match its contents"
        case .malformed(let path, let reason):
            "\(path) is corrupt: \(reason)"
        case .conflictingRecord(let sequence, let one, let other):
            "record \(sequence) differs between \(one) and \(other)"
        case .differsFromLog(let sequence, let segments):
            "record \(sequence) differs between the log and the archive (\(segments.joined(separator: ", ")))"
        }
    }
}
