import AsyncHTTPClient
import HookLogTestSupport
import NIOHTTP1
import Testing

@Suite("Health")
struct HealthTests {
    @Test("once the disk refuses a commit, /healthz answers 503 writer_failed and every write 503 unavailable; reads go on")
    func writerFailure() async throws {
        try await withTemporaryDirectory { directory in
            // The data file may not grow past 1 MiB, as on a full disk; the server's own process has the limit.
            let server = try await ServeProcess(
                data: directory + "/data", arguments: ["--admin-key", ServerHarness.adminKey], fileSizeLimit: 1 << 20)
            defer { server.stop() }
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            do {
                try await Self.fillTheDisk(APIClient(client: client, port: server.port))
                try await client.shutdown()
            } catch {
                try? await client.shutdown()
                throw error
            }
        }
    }

    @Test("while the write queue is full, /healthz answers 503 backlog_full and writes get 429 naming the limit")
    func backlogFull() async throws {
        try await withTemporaryDirectory { directory in
            let server = try await ServerHarness(directory: directory, maxWriteBacklog: 0)
            do {
                let health = try await server.call(.GET, "/healthz")
                #expect(health.status == 503)
                #expect(health.json["status"].string == "unavailable")
                #expect(health.json["reason"].string == "backlog_full")
                let write = try await server.call(
                    .POST, "/v1/workspaces", key: ServerHarness.adminKey, body: #"{"name": "A", "plan": "advanced", "owner_email": "a@b.example"}"#)
                #expect(write.status == 429)
                #expect(write.header("retry-after") == "1")
                #expect(write.json["error"]["message"].string?.contains("0 commands waiting, --max-write-backlog") == true, "\(write.text)")
                try await server.stop()
            } catch {
                try? await server.stop()
                throw error
            }
        }
    }

    private static func fillTheDisk(_ api: APIClient) async throws {
        let healthy = try await api.call(.GET, "/healthz")
        #expect(healthy.status == 200)
        #expect(healthy.json["status"].string == "ok")
        let created = try await api.call(
            .POST, "/v1/workspaces", key: ServerHarness.adminKey, body: #"{"name": "Acme", "plan": "advanced", "owner_email": "ops@acme.example"}"#)
        let key = try #require(created.json["api_key"]["key"].string)

        let event = #"{"type": "contact.created", "data": {"blob": ""# + String(repeating: "x", count: 200_000) + #""}}"#
        var refused: APIClient.Reply?
        for _ in 0..<40 {
            let reply = try await api.call(.POST, "/v1/events", key: key, body: event)
            guard reply.status == 202 else {
                refused = reply
                break
            }
        }
        let failed = try #require(refused, "a 1 MiB data file holds fewer than 40 events of 200 kB")
        #expect(failed.status == 503, "\(failed.text)")
        #expect(failed.errorCode == "unavailable")

        let health = try await api.call(.GET, "/healthz")
        #expect(health.status == 503)
        #expect(health.json["status"].string == "unavailable")
        #expect(health.json["reason"].string == "writer_failed")
        let small = try await api.call(.POST, "/v1/events", key: key, body: #"{"type": "contact.created", "data": {}}"#)
        #expect(small.status == 503, "no write is taken once the writer has failed, however small: \(small.text)")
        #expect(small.errorCode == "unavailable")
        let workspace = try await api.call(
            .POST, "/v1/workspaces", key: ServerHarness.adminKey, body: #"{"name": "B", "plan": "advanced", "owner_email": "b@b.example"}"#)
        #expect(workspace.status == 503)
        #expect(workspace.errorCode == "unavailable")
        #expect(try await api.call(.GET, "/v1/log?limit=2", key: key).status == 200, "what is durable can still be read")
    }
}
