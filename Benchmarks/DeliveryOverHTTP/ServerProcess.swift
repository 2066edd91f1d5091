import AsyncHTTPClient
import Foundation
import HookLogTestSupport
import NIOPosix

/// A `hooklog serve` child process on a free loopback port, with a fresh data directory of its own; its output goes
/// to a file. ``stop()`` sends SIGTERM and waits, so that the log is closed before it is read.
final class ServerProcess {
    /// The server did not answer `/healthz` in time, or exited first.
    struct DidNotStart: Error, CustomStringConvertible {
        let description: String
    }

    /// The server could not be made to exit: a benchmark that went on would measure beside it.
    struct DidNotStop: Error, CustomStringConvertible {
        let description: String
    }

    /// `http://127.0.0.1:<port>`.
    let baseURL: String
    /// The admin key it was started with.
    let adminKey: String
    /// Its data directory, to read the log from once it has stopped.
    let dataDirectory: String
    /// Where compaction archives what it removes, when the server keeps a retention.
    let archiveDirectory: String?
    private let process: Process

    /// Starts `binary serve` with `concurrency` deliveries in flight at once, compacting history older than
    /// `retentionSeconds` into an archive when given, on a copy of the data directory `history` when given, with
    /// `arguments` after the others and `environment` added to this process's, and waits until `/healthz` answers. A
    /// fleet's nodes share `adminKey` (a new one when nil) and are told their address (`nodeURL`).
    init(
        binary: String, concurrency: Int, retentionSeconds: Int? = nil, history: String? = nil, arguments: [String] = [],
        environment: [String: String] = [:], outputPath: String, client: HTTPClient, adminKey: String? = nil,
        nodeURL: Bool = false
    ) async throws {
        let port = try Self.freePort()
        baseURL = "http://127.0.0.1:\(port)"
        self.adminKey = adminKey ?? Self.newAdminKey()
        let dataDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("hooklog-bench-serve-\(UUID().uuidString)").path
        self.dataDirectory = dataDirectory
        archiveDirectory = retentionSeconds.map { _ in dataDirectory + "-archive" }
        if let history {
            try FileManager.default.copyItem(atPath: history, toPath: dataDirectory)
            // Several GB of dirty pages: written back now, or the server's fsyncs would wait behind them and the run
            // would measure the copy, not the history.
            sync()
        }
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        let retention: [String] = ["--retention", retentionSeconds.map { "\($0)s" } ?? "forever"]
        let archive: [String] = archiveDirectory.map { ["--archive", $0] } ?? []
        let address: [String] = nodeURL ? ["--node-url", baseURL] : []
        process.arguments = [
            "serve", "--data", dataDirectory, "--port", String(port), "--admin-key", self.adminKey,
            "--allow-private-endpoints", "--concurrency", String(concurrency),
        ] + retention + archive + address + arguments
        // Bursts of events from a few workspaces and fleets of webhooks in one: the limits for many tenants must not be
        // what the figures measure. Set by their variables, which a build from before the limits ignores.
        process.environment = ProcessInfo.processInfo.environment.merging([
            "HOOKLOG_INGEST_RATE": "1000000000", "HOOKLOG_MAX_WEBHOOKS_PER_WORKSPACE": "1000",
        ].merging(environment) { $1 }) { $1 }
        process.standardOutput = output
        process.standardError = output
        try process.run()
        do {
            try await waitUntilHealthy(client: client, outputPath: outputPath)
        } catch {
            try await stop()
            removeData()
            throw error
        }
    }

    private func waitUntilHealthy(client: HTTPClient, outputPath: String) async throws {
        let deadline = ContinuousClock.now.advanced(by: .seconds(60))
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                throw DidNotStart(description: "hooklog serve exited with status \(process.terminationStatus); see \(outputPath)")
            }
            if let response = try? await client.execute(HTTPClientRequest(url: baseURL + "/healthz"), timeout: .seconds(1)),
                response.status == .ok
            {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw DidNotStart(description: "hooklog serve did not answer /healthz within 60 s; see \(outputPath)")
    }

    /// Sends SIGTERM and waits until the process has exited; SIGKILL if it is still running after 30 s, and an error
    /// if it is still not reaped 10 s after that.
    func stop() async throws {
        process.terminate()
        var deadline = ContinuousClock.now.advanced(by: .seconds(30))
        var killed = false
        while process.isRunning {
            if ContinuousClock.now >= deadline {
                guard !killed else { throw DidNotStop(description: "hooklog serve still runs 10 s after SIGKILL") }
                DeliveryBenchmark.say("hooklog serve did not stop within 30 s of SIGTERM: killed")
                kill(process.processIdentifier, SIGKILL)
                killed = true
                deadline = ContinuousClock.now.advanced(by: .seconds(10))
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// A random admin key.
    static func newAdminKey() -> String {
        "hkadmin_bench_" + String(format: "%016llx%016llx", UInt64.random(in: 0...UInt64.max), UInt64.random(in: 0...UInt64.max))
    }

    /// The CPU time the process has used so far, user and system, in seconds (`/proc/<pid>/stat`).
    var cpuSeconds: Double {
        ProcessStat(of: process.processIdentifier)?.cpuSeconds ?? 0
    }

    /// Removes the data directory and the archive.
    func removeData() {
        try? FileManager.default.removeItem(atPath: dataDirectory)
        if let archiveDirectory { try? FileManager.default.removeItem(atPath: archiveDirectory) }
    }

    /// Whether `binary serve --help` lists `option`: a flag another change adds may not be in the binary measured.
    static func serveAccepts(_ option: String, binary: String) throws -> Bool {
        let help = Process()
        help.executableURL = URL(fileURLWithPath: binary)
        help.arguments = ["serve", "--help"]
        let output = Pipe()
        help.standardOutput = output
        help.standardError = FileHandle.nullDevice
        try help.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        help.waitUntilExit()
        return text.contains(option)
    }

    /// A loopback port nothing listens on: bound, then released.
    private static func freePort() throws -> Int {
        let channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).wait()
        defer { try? channel.close().wait() }
        guard let port = channel.localAddress?.port else { preconditionFailure("a bound loopback socket has a port") }
        return port
    }
}
