import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The data directory: where HookLog keeps its LMDB environment (`--data`, `./data` by default).
public enum DataDirectory {
    /// The name of the lock file inside the directory.
    static let lockFileName = "hooklog.lock"

    /// Creates the directory at `path`, and any missing parents, with mode 0700; leaves an existing
    /// directory as it is.
    ///
    /// - Throws: ``DataDirectoryError/notADirectory(path:)`` when `path`, or one of its parents, is a file.
    public static func create(at path: String) throws {
        var prefix = path.hasPrefix("/") ? "/" : ""
        let components = path.split(separator: "/")
        for (index, component) in components.enumerated() {
            prefix += prefix.isEmpty || prefix.hasSuffix("/") ? String(component) : "/" + component
            let isLast = index == components.count - 1
            if mkdir(prefix, isLast ? 0o700 : 0o755) == 0 {
                // mkdir's mode passes through the umask; the data directory is 0700 whatever the umask.
                if isLast, chmod(prefix, 0o700) != 0 {
                    throw DataDirectoryError.unreadable(path: path, reason: "cannot chmod it: \(errnoText())")
                }
                continue
            }
            guard errno == EEXIST else {
                throw DataDirectoryError.unreadable(path: path, reason: "cannot create \(prefix): \(errnoText())")
            }
            guard isDirectory(prefix) else {
                throw DataDirectoryError.notADirectory(path: prefix)
            }
        }
    }

    /// Checks that `path` is a directory this process can read and that it holds an LMDB environment, for
    /// commands that only read the log.
    ///
    /// - Throws: ``DataDirectoryError`` saying what is wrong, in a line fit for the user.
    public static func checkReadable(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT {
                throw DataDirectoryError.missing(path: path)
            }
            throw DataDirectoryError.unreadable(path: path, reason: errnoText())
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw DataDirectoryError.notADirectory(path: path)
        }
        guard access(path, R_OK | X_OK) == 0 else {
            throw DataDirectoryError.unreadable(path: path, reason: errnoText())
        }
        guard access(path + "/data.mdb", R_OK) == 0 else {
            let reason = errno == ENOENT ? "it holds no HookLog log (no data.mdb)" : "data.mdb: \(errnoText())"
            throw DataDirectoryError.unreadable(path: path, reason: reason)
        }
    }

    /// Whether `path` names a directory (following symbolic links).
    private static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }
}

/// The lock that makes one HookLog process at a time the owner of a data directory.
///
/// It holds an exclusive `flock` on `<directory>/hooklog.lock`, which holds the owner's process id, and
/// releases it when the object goes away (or the process ends). The lock belongs to the open file, so a
/// second lock on the same directory conflicts even within one process.
public final class DataDirectoryLock: Sendable {
    /// The directory this lock owns.
    public let directory: String
    /// The open lock file, which holds the lock until it is closed.
    private let descriptor: Int32
    /// Whether ``release()`` has closed the lock file.
    private let released = Atomic<Bool>(false)

    /// Takes the lock on `directory`, creating its lock file if needed, and writes this process's id into
    /// the file.
    ///
    /// - Throws: ``DataDirectoryError/inUse(path:pid:)`` when another process (or another lock object) holds
    ///   it; ``DataDirectoryError/missing(path:)`` when the directory does not exist.
    public init(directory: String) throws {
        let path = directory + "/" + DataDirectory.lockFileName
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            switch errno {
            case ENOENT: throw DataDirectoryError.missing(path: directory)
            case ENOTDIR: throw DataDirectoryError.notADirectory(path: directory)
            default: throw DataDirectoryError.unreadable(path: directory, reason: "cannot open \(path): \(errnoText())")
            }
        }
        let error = Self.lock(descriptor)
        guard error == 0 else {
            let holder = Self.readPID(descriptor)
            close(descriptor)
            if error == EWOULDBLOCK {
                throw DataDirectoryError.inUse(path: directory, pid: holder)
            }
            throw DataDirectoryError.unreadable(path: directory, reason: "cannot lock \(path): \(errnoText(error))")
        }
        let pid = Array("\(getpid())\n".utf8)
        let written = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        guard ftruncate(descriptor, off_t(pid.count)) == 0, written == pid.count else {
            let reason = "cannot write \(path): \(errnoText())"
            close(descriptor)
            throw DataDirectoryError.unreadable(path: directory, reason: reason)
        }
        self.directory = directory
        self.descriptor = descriptor
    }

    deinit {
        release()
    }

    /// Releases the lock now, so that another writer may take the directory; releasing twice does nothing.
    public func release() {
        if !released.exchange(true, ordering: .acquiringAndReleasing) {
            close(descriptor)
        }
    }

    /// Takes the lock of the file open as `descriptor`; returns 0, or `flock`'s `errno`. A lock this process released a
    /// moment ago may still be held by a child another thread is spawning: it inherits the lock file's descriptor
    /// until it runs its program, which closes it (`O_CLOEXEC`). So while the file names this process, the lock is
    /// tried again for up to a second before it counts as held.
    private static func lock(_ descriptor: Int32) -> Int32 {
        for _ in 0..<100 {
            guard flock(descriptor, LOCK_EX | LOCK_NB) != 0 else { return 0 }
            let error = errno
            guard error == EWOULDBLOCK, readPID(descriptor) == getpid() else { return error }
            usleep(10_000)
        }
        return flock(descriptor, LOCK_EX | LOCK_NB) == 0 ? 0 : errno
    }

    /// The process id written in the lock file open as `descriptor`; nil when it holds none (yet).
    private static func readPID(_ descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else {
            return nil
        }
        let text = String(decoding: buffer[..<count], as: UTF8.self)
        return Int32(text.split(separator: "\n").first ?? "")
    }
}

/// Why the data directory cannot be used; each description is one line for the user.
public enum DataDirectoryError: Error, CustomStringConvertible, Equatable {
    /// Another HookLog process (with this pid, when known) holds the directory's lock.
    case inUse(path: String, pid: Int32?)
    /// The directory does not exist.
    case missing(path: String)
    /// The path names something other than a directory.
    case notADirectory(path: String)
    /// The directory cannot be read or used, for `reason`.
    case unreadable(path: String, reason: String)

    /// One line saying what is wrong, naming the directory.
    public var description: String {
        switch self {
        case .inUse(let path, let pid?):
            "data directory \(path) is in use by another hooklog process (pid \(pid))"
        case .inUse(let path, nil):
            "data directory \(path) is in use by another hooklog process"
        case .missing(let path):
            "data directory \(path) does not exist"
        case .notADirectory(let path):
            "data directory \(path) is not a directory"
        case .unreadable(let path, let reason):
            "data directory \(path) cannot be used: \(reason)"
        }
    }
}

/// The system's text for `code`, by default the current `errno`.
private func errnoText(_ code: Int32 = errno) -> String {
    String(cString: strerror(code))
}
