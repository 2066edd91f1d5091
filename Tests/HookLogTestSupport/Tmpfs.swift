import Foundation

/// A small tmpfs mounted on a new directory, for tests of a full disk with real file systems and real `ENOSPC`:
/// what is written there counts against its size, and growing it (``resize(megabytes:)``) frees space at once.
/// Mounting needs root; ``isAvailable`` says whether this process may.
public struct Tmpfs: Sendable {
    /// The directory the tmpfs is mounted on.
    public let path: String

    /// Whether this process may mount one: it runs as root.
    public static var isAvailable: Bool {
        getuid() == 0
    }

    /// Runs `body` with a tmpfs of `megabytes` MiB mounted on a new directory, and always unmounts it and removes the
    /// directory afterwards, whether `body` returns or throws.
    public static func with<T>(megabytes: Int, _ body: (Tmpfs) async throws -> T) async throws -> T {
        try await withTemporaryDirectory { directory in
            let tmpfs = Tmpfs(path: directory + "/tmpfs")
            try FileManager.default.createDirectory(atPath: tmpfs.path, withIntermediateDirectories: false)
            try run("/bin/mount", "-t", "tmpfs", "-o", "size=\(megabytes)m,mode=0700", "tmpfs", tmpfs.path)
            defer { tmpfs.unmount() }
            return try await body(tmpfs)
        }
    }

    /// Makes the tmpfs `megabytes` MiB, keeping what it holds.
    public func resize(megabytes: Int) throws {
        try Self.run("/bin/mount", "-o", "remount,size=\(megabytes)m", path)
    }

    /// Makes the tmpfs read-only, keeping what it holds: a snapshot's file system, which nothing can write.
    public func remountReadOnly() throws {
        try Self.run("/bin/mount", "-o", "remount,ro", path)
    }

    /// Unmounts it; lazily when a process still holds a file there, so that the mount never outlives the test.
    private func unmount() {
        if (try? Self.run("/bin/umount", path)) == nil { try? Self.run("/bin/umount", "-l", path) }
    }

    /// Runs a command and waits for it; a non-zero exit throws with what it printed.
    private static func run(_ command: String, _ arguments: String...) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let printed = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TmpfsFailure(description: "\(command) \(arguments.joined(separator: " ")) failed: \(printed)")
        }
    }
}

/// Mounting, resizing or unmounting a ``Tmpfs`` failed.
public struct TmpfsFailure: Error, CustomStringConvertible {
    /// The command and what it printed.
    public let description: String
}
