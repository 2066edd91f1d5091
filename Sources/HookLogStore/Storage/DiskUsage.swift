#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How much room a data directory has and how much it takes: the free space of its file system, and the space its
/// data file occupies on disk.
public struct DiskUsage: Sendable, Equatable {
    /// Bytes the file system still grants to writers that are not root (`statvfs`: `f_bavail` × `f_frsize`).
    public var freeBytes: UInt64
    /// Bytes `data.mdb` occupies on disk (`st_blocks` × 512), which is what it costs the file system; 0 before the
    /// file exists.
    public var dataFileBytes: UInt64
    /// Bytes free inside the data file, which the log writes new records into before it takes more of the disk:
    /// what compaction gave back (``LMDBEnvironment/freePageBytes()``); 0 unless the log was asked.
    public var reusableBytes: UInt64 = 0

    /// The room new records have: the file system's free space and the free space inside the data file.
    public var availableBytes: UInt64 { freeBytes + reusableBytes }

    /// Measures the data directory at `directory` now: two system calls, cheap enough for every request.
    ///
    /// - Throws: ``DataDirectoryError/unreadable(path:reason:)`` when its file system cannot be asked.
    public static func measure(_ directory: String) throws -> DiskUsage {
        var file = stat()
        let dataFileBytes = stat(directory + "/data.mdb", &file) == 0 ? UInt64(file.st_blocks) * 512 : 0
        return DiskUsage(freeBytes: try freeBytes(at: directory), dataFileBytes: dataFileBytes)
    }

    /// The free bytes (as ``freeBytes``) of the file system that holds `path`.
    static func freeBytes(at path: String) throws -> UInt64 {
        var system = statvfs()
        guard statvfs(path, &system) == 0 else {
            let code = errno
            throw DataDirectoryError.unreadable(
                path: path, reason: "cannot measure its free space: \(String(cString: strerror(code)))")
        }
        return UInt64(system.f_bavail) * UInt64(system.f_frsize)
    }
}
