import CLMDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A write to the log that failed for lack of room rather than for a fault: the disk is full (`ENOSPC`), a quota is
/// reached (`EDQUOT`), or LMDB's map cannot grow (`MDB_MAP_FULL` reaching the caller). LMDB aborts such a commit and
/// its data file keeps the last complete one, so the writer refuses the batch and takes the next
/// (docs/operations.md, The disk reserve).
///
/// LMDB reports a page write that wrote less than asked as `EIO` ("short write, filesystem full?"): the file system
/// filled up during the write. An `EIO` therefore counts as a shortage when the file system has less room left than
/// the commit was writing plus ``shortWriteMargin``; with more room than that, it is a fault of the disk.
struct StorageShortage: CustomStringConvertible {
    /// Room for the pages beyond a commit's records (index entries, branch pages) when judging an `EIO`.
    static let shortWriteMargin: UInt64 = 1 << 20

    /// The failure, as LMDB reported it.
    let description: String

    /// The shortage `error` is, or nil for any other failure. `attemptedBytes` is the size of the records and
    /// checkpoint the failed commit wrote; `freeBytes` measures the file system afterwards (nil when it cannot).
    init?(_ error: any Error, attemptedBytes: Int, freeBytes: () -> UInt64?) {
        guard let error = error as? LMDBError else { return nil }
        switch error.code {
        case ENOSPC, EDQUOT, MDB_MAP_FULL:
            description = error.description
        case EIO:
            guard let free = freeBytes(), free < UInt64(attemptedBytes) + Self.shortWriteMargin else { return nil }
            description = "\(error) (a write cut short: \(free) bytes are free on the file system)"
        default:
            return nil
        }
    }
}
