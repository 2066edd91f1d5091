public import HookLogCore

/// Why the log could not be opened, read or written; each says what to do about it in one line.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    /// The directory holds no HookLog log.
    case notALog(String)
    /// The data directory was written by a newer HookLog.
    case newerFormat(String, UInt8)
    /// The directory holds a copy of a log that stopped before it was whole.
    case incompleteCopy(String)
    /// A stored record could not be decoded.
    case corruptRecord(sequence: UInt64, DecodingFailure)
    /// An index entry points to a record the log does not hold.
    case missingRecord(UInt64)
    /// The writer failed to commit; the service must restart from the log.
    case writerFailed(String)
    /// The stored base snapshot, which the log is cut behind, cannot be read.
    case corruptBase(String)
    /// The base snapshot was taken with another queue window than the one asked for.
    case baseWindowMismatch(stored: Int?, asked: Int?)
    /// A commit found no room on the disk (or in LMDB's map), for this reason: nothing of it was written, and the
    /// writer takes the next one.
    case insufficientStorage(String)
    /// The store was closed.
    case closed
    /// The log's storage cannot be reached now (a database that does not answer, or refuses), for this reason. A commit
    /// refused so may or may not have been written: a retry carrying the same event ids or `Idempotency-Key` is
    /// answered, not appended twice. The log takes the next commit, and answers reads, once the storage answers again.
    case unavailable(String)

    public var description: String {
        switch self {
        case .notALog(let directory):
            "\(directory) holds no HookLog log (run 'hooklog serve' or 'hooklog simulate' to create one)"
        case .newerFormat(let directory, let version):
            "\(directory) was written by a newer HookLog (storage format \(version)); this build reads format \(LogDatabases.storageFormat)"
        case .incompleteCopy(let directory):
            "\(directory) holds a copy of a log that stopped half way ('hooklog migrate' or 'backup --store'); remove the directory and copy again"
        case .corruptRecord(let sequence, let failure):
            "record \(sequence) cannot be decoded: \(failure)"
        case .missingRecord(let sequence):
            "an index points to record \(sequence), which the log does not hold (run 'hooklog rebuild --verify')"
        case .writerFailed(let reason):
            "the log writer failed and accepts no more records until restarted: \(reason)"
        case .corruptBase(let reason):
            "the base snapshot the log is cut behind cannot be read (\(reason)); restore the data directory from a backup, or rebuild it from the archive with 'hooklog rebuild --verify --archive DIR'"
        case .baseWindowMismatch(let stored, let asked):
            "the log's base snapshot keeps \(stored.map(String.init) ?? "every") queued deliveries per webhook in RAM, not \(asked.map(String.init) ?? "every"); open it with the window it was cut with"
        case .insufficientStorage(let reason):
            "the disk has no room for this commit, so nothing of it was written; retry once space is freed: \(reason)"
        case .closed:
            "the log is closed"
        case .unavailable(let reason):
            "the log's storage cannot be reached now; retry: \(reason)"
        }
    }
}
