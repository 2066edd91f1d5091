import AsyncHTTPClient
import Foundation
import HookLogServer
import HookLogTestSupport
import NIOHTTP1
import Testing

/// docs/operations.md, "Admin key": without one, the first start generates a key and shows it once; only its
/// SHA-256 is kept in the data directory, and later starts use it and say where it is.
@Suite("The generated admin key")
struct AdminKeyTests {
    @Test("the first start prints a generated key and keeps only its hash; the next start uses it without printing it")
    func generatedOnce() async throws {
        try await withTemporaryDirectory { directory in
            let data = directory + "/data"
            let first = try await ServeProcess(data: data, environment: ["HOOKLOG_ADMIN_KEY": ""])
            first.stop()
            let line = try #require(first.printed.split(separator: "\n").first { $0.contains("generated now") })
            let key = String(try #require(line.split(separator: " ").last))
            #expect(key.hasPrefix("hkadmin_") && key.count >= 32, "\(line)")
            let file = data + "/admin-key.sha256"
            let stored = try String(contentsOfFile: file, encoding: .utf8)
            #expect(!stored.contains(key), "the key itself is not stored")
            #expect(stored.trimmingCharacters(in: .newlines)
                == ServerConfiguration.hash(adminKey: key).map { String(format: "%02x", $0) }.joined())
            let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
            #expect(mode == 0o600)

            let second = try await ServeProcess(data: data, environment: ["HOOKLOG_ADMIN_KEY": ""])
            defer { second.stop() }
            #expect(!second.printed.contains(key), "\(second.printed)")
            #expect(second.printed.contains("the one generated on the first start"), "\(second.printed)")
            #expect(second.printed.contains(file))
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            let api = APIClient(client: client, port: second.port)
            let created = try await api.call(
                .POST, "/v1/workspaces", key: key, body: #"{"name": "Acme", "plan": "advanced", "owner_email": "ops@acme.example"}"#)
            let wrong = try await api.call(.GET, "/v1/log", key: String(key.dropLast()) + "x")
            try await client.shutdown()
            #expect(created.status == 201, "the generated key is the admin key on later starts: \(created.text)")
            #expect(wrong.status == 401)
        }
    }
}
