#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The system calls that read and durably write segment files; every failure is an ``ArchiveError`` naming the file.
enum SegmentFile {
    /// The whole contents of the file at `path`.
    static func read(_ path: String) throws(ArchiveError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure("open", path) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw failure("stat", path) }
        var contents = [UInt8](repeating: 0, count: Int(info.st_size))
        var count = 0
        while count < contents.count {
            let read = contents.withUnsafeMutableBytes { buffer in
                pread(descriptor, buffer.baseAddress! + count, buffer.count - count, off_t(count))
            }
            if read < 0, errno == EINTR { continue }
            guard read != 0 else { throw .truncated(path, bytes: count, expected: UInt64(contents.count)) }
            guard read > 0 else { throw failure("read", path) }
            count += read
        }
        return contents
    }

    /// Whether something exists at `path`.
    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// Writes `contents` to a new file at `path` with mode 0600 and flushes it to the disk; a file already at `path`
    /// is one an interrupted write left, and is replaced. A failed write leaves no file.
    static func create(_ path: String, contents: [UInt8]) throws(ArchiveError) {
        var descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if descriptor < 0, errno == EEXIST, unlink(path) == 0 {
            descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        }
        guard descriptor >= 0 else { throw failure("create", path) }
        defer { close(descriptor) }
        do throws(ArchiveError) {
            // open's mode passes through the umask; a segment holds event data, so it is 0600 whatever the umask.
            guard fchmod(descriptor, 0o600) == 0 else { throw failure("chmod", path) }
            var written = 0
            while written < contents.count {
                let count = contents.withUnsafeBytes { bytes in
                    write(descriptor, bytes.baseAddress! + written, bytes.count - written)
                }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { throw failure("write", path) }
                written += count
            }
            guard fsync(descriptor) == 0 else { throw failure("fsync", path) }
        } catch {
            unlink(path)
            throw error
        }
    }

    /// Renames the file at `source` to `destination`, replacing a file there in one step.
    static func move(_ source: String, to destination: String) throws(ArchiveError) {
        guard rename(source, destination) == 0 else { throw failure("rename \(source) to", destination) }
    }

    /// The error for a failed `operation` on `path`, with the system's text for the current `errno`.
    static func failure(_ operation: String, _ path: String) -> ArchiveError {
        .fileOperationFailed(path, operation: operation, reason: String(cString: strerror(errno)))
    }
}
