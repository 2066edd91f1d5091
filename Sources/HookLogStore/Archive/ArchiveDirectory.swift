#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The directory that holds an archive's segments: creating it with mode 0700, listing its segments, and flushing its
/// entries to the disk.
enum ArchiveDirectory {
    /// Creates the directory at `path` with mode 0700 when it is missing, and flushes its parent so that the new
    /// directory survives a crash; its parent must exist. An existing directory is left as it is.
    static func create(_ path: String) throws(ArchiveError) {
        guard mkdir(path, 0o700) == 0 else {
            guard errno == EEXIST else { throw unusable(path, "cannot create it") }
            var info = stat()
            guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { throw .notADirectory(path) }
            return
        }
        // mkdir's mode passes through the umask; the archive holds event data, so it is 0700 whatever the umask.
        guard chmod(path, 0o700) == 0 else { throw unusable(path, "cannot chmod it") }
        try sync(path + "/..")
    }

    /// The names of the files in the directory at `path`, which must exist and be readable.
    private static func fileNames(in path: String) throws(ArchiveError) -> [String] {
        guard let directory = opendir(path) else {
            switch errno {
            case ENOENT: throw .missingDirectory(path)
            case ENOTDIR: throw .notADirectory(path)
            default: throw unusable(path, "cannot list it")
            }
        }
        defer { closedir(directory) }
        var names: [String] = []
        errno = 0
        while let entry = readdir(directory) {
            names.append(withUnsafeBytes(of: entry.pointee.d_name) { name in
                String(decoding: name.prefix { $0 != 0 }, as: UTF8.self)
            })
        }
        guard errno == 0 else { throw unusable(path, "cannot list it") }
        return names
    }

    /// The segments in the directory at `path`, ordered by their first sequence, then by their last.
    static func segments(in path: String) throws(ArchiveError) -> [ArchiveSegment] {
        try fileNames(in: path).compactMap { ArchiveSegment(fileName: $0, in: path) }.sorted {
            ($0.firstSequence, $0.lastSequence) < ($1.firstSequence, $1.lastSequence)
        }
    }

    /// Flushes the entries of the directory at `path` to the disk, so that a file created or renamed in it survives a
    /// crash.
    static func sync(_ path: String) throws(ArchiveError) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SegmentFile.failure("open", path) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw SegmentFile.failure("fsync", path) }
    }

    /// The error for a directory that cannot be used because `what` failed, with the system's text for `errno`.
    private static func unusable(_ path: String, _ what: String) -> ArchiveError {
        .unusableDirectory(path, reason: "\(what): \(String(cString: strerror(errno)))")
    }
}
