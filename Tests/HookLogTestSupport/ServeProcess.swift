import Foundation

/// `hooklog serve` run as a separate process, as an operator runs it, over a data directory and on a free loopback
/// port; for the tests that need what only a process can have, such as a limit on the size of the files it writes.
/// Call ``stop()`` when done.
public final class ServeProcess {
    /// The port the server listens on.
    public let port: Int
    /// What the server printed up to its `listening on …` line.
    public let printed: String
    private let process: Process

    /// Starts the built `hooklog` with `serve --data directory --port 0` and `arguments`, and returns once it
    /// listens. With `fileSizeLimit`, no file it writes can grow past that many bytes (`RLIMIT_FSIZE`): a write
    /// beyond fails with `EFBIG`, as on a full disk, instead of killing the process with `SIGXFSZ`. `environment` is
    /// added to the test's own.
    public init(
        data directory: String, arguments: [String] = [], fileSizeLimit: Int? = nil, environment: [String: String] = [:]
    ) async throws {
        let serve = [HookLogExecutable.url.path, "serve", "--data", directory, "--port", "0"] + arguments
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // `trap '' XFSZ` is inherited through exec, so the server sees EFBIG rather than the signal.
        let limit = fileSizeLimit.map { "exec prlimit --fsize=\($0) -- \"$@\"" } ?? "exec \"$@\""
        process.arguments = ["-c", "trap '' XFSZ; " + limit, "sh"] + serve
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        do {
            (port, printed) = try await Self.listeningPort(in: output.fileHandleForReading)
        } catch {
            process.terminate()
            process.waitUntilExit()
            throw error
        }
    }

    /// Whether the server's process is still running.
    public var isRunning: Bool {
        process.isRunning
    }

    /// Stops the server with SIGTERM, as an operator would, waits for it to exit, and returns its exit status; a
    /// server already stopped is left alone.
    @discardableResult
    public func stop() -> Int32 {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// The port in the server's `listening on http://host:port …` line, with everything printed up to it, read off
    /// the main threads since reading a pipe blocks.
    private static func listeningPort(in output: FileHandle) async throws -> (Int, String) {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                var text = ""
                while case let chunk = output.availableData, !chunk.isEmpty {
                    text += String(decoding: chunk, as: UTF8.self)
                    guard let address = text.firstRange(of: "listening on http://") else { continue }
                    let rest = text[address.upperBound...].drop { $0 != ":" }.dropFirst()
                    guard rest.contains(where: { !$0.isNumber }), let port = Int(rest.prefix { $0.isNumber }) else { continue }
                    return continuation.resume(returning: (port, text))
                }
                continuation.resume(throwing: ServeProcessFailure(description: "hooklog serve exited before it listened: \(text)"))
            }
        }
    }
}

/// ``ServeProcess`` could not start the server.
public struct ServeProcessFailure: Error, CustomStringConvertible {
    /// What went wrong.
    public let description: String
}
