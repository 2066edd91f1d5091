import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HookLogTestSupport
import Testing

/// A `hooklog serve` process over a data directory, on a free loopback port, that may deliver to loopback, and JSON
/// requests to it.
final class RunningServer {
    let process = Process()
    let port: String

    /// Starts `serve` on `port` (a free one when 0) with `adminKey` and `arguments`, `environment` added to the test's
    /// own, and returns once it listens.
    init(
        data: String, adminKey: String, port wanted: Int = 0, arguments: [String] = [], environment: [String: String] = [:]
    ) throws {
        process.executableURL = HookLogExecutable.url
        process.arguments = [
            "serve", "--data", data, "--port", String(wanted), "--admin-key", adminKey, "--allow-private-endpoints",
        ] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        port = try #require(try CrashTests.read(output, until: #/listening on http://127\.0\.0\.1:(\d+) /#).map { String($0.1) })
    }

    /// POSTs `body` as JSON with `key` and returns the JSON object answered (any status).
    func post(_ path: String, key: String, _ body: [String: Any]) async throws -> [String: Any] {
        try await request("POST", path, key: key, body: try JSONSerialization.data(withJSONObject: body))
    }

    /// GETs `path` with `key` and returns the JSON object answered (any status).
    func get(_ path: String, key: String) async throws -> [String: Any] {
        try await request("GET", path, key: key, body: nil)
    }

    private func request(_ method: String, _ path: String, key: String, body: Data?) async throws -> [String: Any] {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        request.setValue("Bearer \(key)", forHTTPHeaderField: "authorization")
        request.setValue("application/json", forHTTPHeaderField: "content-type")
        request.httpBody = body
        let (answer, _) = try await URLSession.shared.data(for: request)
        return try #require(try JSONSerialization.jsonObject(with: answer) as? [String: Any])
    }

    /// Stops the server (SIGTERM) and waits for it.
    func stop() {
        process.terminate()
        process.waitUntilExit()
    }

    /// Kills the server (SIGKILL), as a crash would, and waits for it.
    func crash() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
