import AsyncHTTPClient
import Foundation
import HookLogTestSupport
import NIOHTTP1
import Testing

/// `hooklog serve` with its data directory on a small tmpfs, filled by ingest until the disk says no: with the disk
/// reserve, and with LMDB itself running out of space.
@Suite("A full disk under hooklog serve", .enabled(if: Tmpfs.isAvailable, "mounting a tmpfs needs root"))
struct FullDiskTests {
    static let adminKey = "full-disk-admin-key-0123456789abcdef"

    @Test("below the reserve new events get 507 while the server lives on: every acknowledged event is kept and delivered, and ingest resumes when the disk grows")
    func belowTheReserve() async throws {
        try await withServer(tmpfsMegabytes: 16, reserve: "6MiB") { session in
            try await session.ingestUntilRefused(saying: "below its 6 MiB reserve (--min-free-disk)")
            #expect(session.accepted.count >= 50, "\(session.accepted.count) events of 100 kB fit above the reserve")

            let health = try await session.api.call(.GET, "/healthz")
            #expect(health.status == 503)
            #expect(health.json["status"].string == "unavailable")
            #expect(health.json["reason"].string == "disk_low")
            let metrics = try await session.api.call(.GET, "/metrics").text
            #expect(metrics.contains("\nhooklog_disk_low 1.0\n"), "\(metrics)")
            #expect(metrics.contains("\nhooklog_disk_reserve_bytes 6291456.0\n"))
            #expect(session.server.isRunning)

            try await session.expectEveryAcceptedEventKept()
            try await session.expectEveryAcceptedEventDelivered()
            #expect(try await session.api.call(.GET, "/healthz").status == 503, "delivering wrote into the reserve only")

            try session.tmpfs.resize(megabytes: 64)
            try await session.expectIngestResumes()
            #expect(try await session.api.call(.GET, "/healthz").status == 200)
            let resumed = try await session.api.call(.GET, "/metrics").text
            #expect(resumed.contains("\nhooklog_disk_low 0.0\n"), "\(resumed)")
        }
    }

    @Test("with the reserve off, LMDB itself runs out of space: writes get 507, never 500 nor a crash, nothing acknowledged is lost, and writes resume when the disk grows")
    func lmdbOutOfSpace() async throws {
        try await withServer(tmpfsMegabytes: 8, reserve: "0") { session in
            try await session.ingestUntilRefused(saying: "the disk of the data directory is full")
            for size in [100_000, 10_000, 100, 100_000, 1] {
                let reply = try await session.ingest(bytes: size)
                #expect([202, 507].contains(reply.status), "a full disk answers 202 or 507, never \(reply.status): \(reply.text)")
            }
            let workspace = try await session.api.call(
                .POST, "/v1/workspaces", key: Self.adminKey, body: #"{"name": "B", "plan": "advanced", "owner_email": "b@b.example"}"#)
            #expect([201, 507].contains(workspace.status), "\(workspace.text)")
            #expect(try await session.api.call(.GET, "/healthz").status == 200, "the writer has not failed")
            #expect(session.server.isRunning)
            try await session.expectEveryAcceptedEventKept()

            try session.tmpfs.resize(megabytes: 64)
            try await session.expectIngestResumes()
            try await session.expectEveryAcceptedEventDelivered()
            #expect(session.server.stop() == 0, "the server stops cleanly, its final checkpoint written")
            let verify = try Self.hooklog("--data", session.data, "rebuild", "--verify")
            #expect(verify.status == 0, "\(verify.output)")
        }
    }

    @Test("with a short retention, compaction gives refused ingest its room back inside the data file, without the disk growing")
    func compactionGivesRoomBack() async throws {
        try await withServer(tmpfsMegabytes: 16, reserve: "6MiB", arguments: ["--retention", "2s"]) { session in
            try await session.ingestUntilRefused(saying: "below its 6 MiB reserve (--min-free-disk)")
            let delivered = Set(session.accepted)
            try await eventually("every acknowledged event reaches the receiver") {
                delivered.isSubset(of: session.receiver.requests(path: "/hook").compactMap { $0.header("webhook-id") })
            }
            var resumed = false
            for _ in 0..<200 where !resumed {
                resumed = try await session.ingest(bytes: 100).status == 202
                if !resumed { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(resumed, "compaction removed the delivered events older than 2 s, and ingest resumed in their room")
            let metrics = try await session.api.call(.GET, "/metrics").text
            #expect(metrics.contains("\nhooklog_disk_low 0.0\n"), "\(metrics)")
            #expect(!metrics.contains("\nhooklog_data_file_free_bytes 0.0\n"), "\(metrics)")
            #expect(try await session.api.call(.GET, "/healthz").status == 200)
            #expect(try await session.api.call(.GET, "/v1/events/\(session.accepted[0])", key: session.key).status == 404)
        }
    }

    /// Runs `body` with `hooklog serve` over a data directory on a tmpfs of `tmpfsMegabytes` MiB, keeping `reserve`
    /// free, with a workspace and a webhook to a loopback receiver; stops all of it, and unmounts, afterwards.
    private func withServer(
        tmpfsMegabytes: Int, reserve: String, arguments: [String] = [], _ body: (DiskSession) async throws -> Void
    ) async throws {
        try await Tmpfs.with(megabytes: tmpfsMegabytes) { tmpfs in
            let receiver = try await TestReceiver.start()
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            let data = tmpfs.path + "/data"
            do {
                let server = try await ServeProcess(
                    data: data,
                    arguments: ["--admin-key", Self.adminKey, "--allow-private-endpoints", "--min-free-disk", reserve,
                                "--ingest-rate", "1000000000"] + arguments)
                defer { server.stop() }
                let session = try await DiskSession(
                    tmpfs: tmpfs, data: data, server: server, api: APIClient(client: client, port: server.port), receiver: receiver)
                try await body(session)
            } catch {
                try? await client.shutdown()
                try? await receiver.stop()
                throw error
            }
            try await client.shutdown()
            try await receiver.stop()
        }
    }

    /// Runs the built `hooklog` with `arguments` and returns its exit status and everything it printed.
    private static func hooklog(_ arguments: String...) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = HookLogExecutable.url
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, printed)
    }
}

/// One run of ``FullDiskTests``: the server on its tmpfs, a workspace with a webhook to the receiver, and the events
/// the server acknowledged so far.
final class DiskSession {
    let tmpfs: Tmpfs
    let data: String
    let server: ServeProcess
    let api: APIClient
    let receiver: TestReceiver
    let key: String
    /// The ids of the events answered 202, in order.
    private(set) var accepted: [String] = []

    init(tmpfs: Tmpfs, data: String, server: ServeProcess, api: APIClient, receiver: TestReceiver) async throws {
        (self.tmpfs, self.data, self.server, self.api, self.receiver) = (tmpfs, data, server, api, receiver)
        let created = try await api.call(
            .POST, "/v1/workspaces", key: FullDiskTests.adminKey,
            body: #"{"name": "Acme", "plan": "advanced", "owner_email": "ops@acme.example"}"#)
        key = try #require(created.json["api_key"]["key"].string, "\(created.text)")
        let webhook = try await api.call(
            .POST, "/v1/webhooks", key: key, body: #"{"url": "\#(receiver.url("/hook"))", "events": ["contact.created"]}"#)
        try #require(webhook.status == 201, "\(webhook.text)")
    }

    /// Sends one event whose data holds `bytes` bytes, noting its id when it is acknowledged.
    func ingest(bytes: Int) async throws -> APIClient.Reply {
        let id = "evt_disk_\(accepted.count)_\(UUID().uuidString.prefix(8))"
        let blob = String(repeating: "x", count: bytes)
        let reply = try await api.call(
            .POST, "/v1/events", key: key, body: #"{"id": "\#(id)", "type": "contact.created", "data": {"blob": "\#(blob)"}}"#)
        if reply.status == 202 { accepted.append(id) }
        return reply
    }

    /// Sends events of 100 kB until one is not acknowledged, and checks that it was refused with
    /// `507 insufficient_storage` and a message `saying` why.
    func ingestUntilRefused(saying reason: String) async throws {
        for _ in 0..<1_000 {
            let reply = try await ingest(bytes: 100_000)
            guard reply.status == 202 else {
                #expect(reply.status == 507, "\(reply.text)")
                #expect(reply.errorCode == "insufficient_storage")
                #expect(reply.json["error"]["message"].string?.contains(reason) == true, "\(reply.text)")
                return
            }
        }
        throw TestFailure("1,000 events of 100 kB were all acknowledged: the disk never filled")
    }

    /// Checks that every acknowledged event can be read back.
    func expectEveryAcceptedEventKept() async throws {
        for id in accepted {
            let event = try await api.call(.GET, "/v1/events/\(id)", key: key)
            #expect(event.status == 200, "acknowledged event \(id) is readable: \(event.text)")
        }
    }

    /// Checks that every acknowledged event reaches the receiver once, and its attempt is recorded.
    func expectEveryAcceptedEventDelivered() async throws {
        let expected = Set(accepted)
        try await eventually("every acknowledged event reaches the receiver") {
            expected.isSubset(of: receiver.requests(path: "/hook").compactMap { $0.header("webhook-id") })
        }
        let sent = receiver.requests(path: "/hook").compactMap { $0.header("webhook-id") }
        #expect(sent.count == Set(sent).count, "no event was sent twice: an attempt whose record waited for room is not made again")
        let deadline = ContinuousClock.now.advanced(by: .seconds(60))
        var unrecorded = accepted
        while let id = unrecorded.first {
            if try await api.call(.GET, "/v1/events/\(id)", key: key).json["deliveries"][0]["state"].string == "succeeded" {
                unrecorded.removeFirst()
                continue
            }
            guard ContinuousClock.now < deadline else {
                Issue.record("\(unrecorded.count) deliveries, \(id) first, are not recorded as succeeded")
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Sends small events until one is acknowledged, within a few seconds: ingest resumes by itself.
    func expectIngestResumes() async throws {
        let before = accepted.count
        for _ in 0..<50 where accepted.count == before {
            let reply = try await ingest(bytes: 100)
            if reply.status != 202 { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(accepted.count == before + 1, "ingest resumed without a restart")
    }
}
