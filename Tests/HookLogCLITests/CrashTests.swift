import Foundation
import HookLogTestSupport
import Testing

/// `kill -9` in the middle of commits: whatever the server acknowledged is in the log after the crash, the log
/// verifies, and the directory takes writes again.
@Suite("A crash under load")
struct CrashTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hooklog-crash-\(UUID().uuidString)").path
    var data: String { directory + "/data" }
    static let adminKey = "crash-test-admin-key-0123456789abcdef"
    static let ingester = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Scripts/ingest-until-refused.py")

    @Test("SIGKILL while eight clients ingest loses no acknowledged event, and rebuild --verify accepts the log")
    func killUnderIngest() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = Process()
        server.executableURL = HookLogExecutable.url
        server.arguments = [
            "serve", "--data", data, "--port", "0", "--admin-key", Self.adminKey, "--allow-private-endpoints",
            // Eight clients ingest as fast as they can: the ingest rate must not be what stops them.
            "--ingest-rate", "1000000000",
        ]
        let serverOutput = Pipe()
        server.standardOutput = serverOutput
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
        let port = try #require(try Self.read(serverOutput, until: #/listening on http://127\.0\.0\.1:(\d+) /#).map { String($0.1) })

        let ids = try Self.ingest(into: port, adminKey: Self.adminKey, until: 2_000) {
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        #expect(server.terminationReason == .uncaughtSignal)
        #expect(ids.count >= 2_000, "\(ids.count) events were acknowledged before the kill")

        let verify = try HookLogBinary.run("--data", data, "rebuild", "--verify")
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        let log = try HookLogBinary.run("--data", data, "log", "--limit", "100000000", "--json")
        let logged = Set(log.lines.compactMap { $0.firstMatch(of: /"type":"EventReceived","event_id":"(evt_crash_[0-9_]+)"/).map { String($0.1) } })
        let lost = ids.filter { !logged.contains($0) }
        #expect(lost.isEmpty, "acknowledged but not in the log: \(lost.prefix(5))")

        let created = try HookLogBinary.run(
            "--data", data, "workspace", "create", "--name", "After the crash", "--plan", "advanced",
            "--owner-email", "owner@crash.example")
        #expect(created.status == 0, "the directory is writable again: \(created.stderr)")
        #expect(try HookLogBinary.run("--data", data, "rebuild", "--verify").status == 0)
    }

    /// Runs the ingester (eight clients) against the server on `port` until it has `count` acknowledgements, then
    /// `crash`es the server, and returns the id of every event acknowledged before the ingester saw the server go.
    static func ingest(into port: String, adminKey: String, until count: Int, thenCrash crash: () -> Void) throws -> [String] {
        let ingest = Process()
        ingest.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        ingest.arguments = ["python3", ingester.path, port, adminKey]
        let acknowledgements = Pipe()
        ingest.standardOutput = acknowledgements
        ingest.standardError = Pipe()
        try ingest.run()
        var acknowledged = ""
        while acknowledged.split(separator: "\n").count < count {
            let chunk = acknowledgements.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            acknowledged += String(decoding: chunk, as: UTF8.self)
        }
        crash()
        acknowledged += String(decoding: acknowledgements.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        ingest.waitUntilExit()
        return acknowledged.split(separator: "\n").filter { $0.hasPrefix("evt_crash_") }.map(String.init)
    }

    /// Reads `pipe` until its text matches `pattern`, and returns the match (nil when the pipe closes first).
    static func read<Output>(_ pipe: Pipe, until pattern: Regex<Output>) throws -> Regex<Output>.Match? {
        var text = ""
        while true {
            if let match = text.firstMatch(of: pattern) { return match }
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { return nil }
            text += String(decoding: chunk, as: UTF8.self)
        }
    }
}
