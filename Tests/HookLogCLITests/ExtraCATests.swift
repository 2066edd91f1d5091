import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HookLogTestSupport
import Testing

/// `hooklog serve --extra-ca-certificates`: https endpoints whose certificate chains to an operator's own CA, not to
/// the system's trust store.
@Suite("Extra CA certificates of hooklog serve")
struct ExtraCATests {
    static let adminKey = "extra-ca-test-admin-key-0123456789abcdef"

    @Test("an https endpoint signed by a private CA is refused as tls, and delivered to once serve trusts that CA")
    func privateCA() async throws {
        try await withTemporaryDirectory { directory in
            let receiver = try await TestReceiver.start(usesTLS: true)
            let caFile = directory + "/private-ca.pem"
            try TestCertificate.certificatePEM.write(toFile: caFile, atomically: true, encoding: .utf8)
            let data = directory + "/data"
            let created = try HookLogBinary.run(
                "workspace", "create", "--data", data, "--name", "Acme", "--plan", "advanced", "--owner-email", "ops@acme.example")
            let key = try #require(created.stdout.firstMatch(of: /(hk_[A-Za-z0-9_-]+)/).map { String($0.1) }, "\(created.stdout)")
            // The certificate is valid for localhost, which serve resolves to the receiver's 127.0.0.1.
            let endpoint = "https://localhost:\(receiver.port)/hooks"

            let untrusting = try RunningServer(data: data, adminKey: Self.adminKey)
            let webhook = try await untrusting.post("/v1/webhooks", key: key, ["url": endpoint, "events": ["contact.created"]])
            let webhookID = try #require(webhook["id"] as? String, "\(webhook)")
            let refused = try await untrusting.post("/v1/webhooks/\(webhookID)/test", key: key, [:])
            #expect(refused["succeeded"] as? Bool == false, "\(refused)")
            #expect(refused["error"] as? String == "tls", "\(refused)")
            untrusting.stop()
            #expect(receiver.requests().isEmpty)

            let trusting = try RunningServer(data: data, adminKey: Self.adminKey, arguments: ["--extra-ca-certificates", caFile])
            let tested = try await trusting.post("/v1/webhooks/\(webhookID)/test", key: key, [:])
            #expect(tested["succeeded"] as? Bool == true, "\(tested)")
            #expect(tested["status_code"] as? Int == 204, "\(tested)")
            _ = try await trusting.post("/v1/events", key: key, ["type": "contact.created", "data": ["name": "Ada"]])
            let received = try await receiver.waitForRequests(count: 2, path: "/hooks")
            #expect(received.last?.header("host") == "localhost:\(receiver.port)")
            #expect(received.last.map { String(decoding: $0.body, as: UTF8.self) }?.contains("\"Ada\"") == true)
            trusting.stop()
            try await receiver.stop()
        }
    }

    @Test("serve refuses an extra CA file it cannot read or use, from the option or its variable, with one clear line", arguments: [
        (["--extra-ca-certificates", "/nonexistent/ca.pem"], [:], "--extra-ca-certificates '/nonexistent/ca.pem' cannot be read"),
        ([], ["HOOKLOG_EXTRA_CA_CERTIFICATES": "NOT-PEM"], "HOOKLOG_EXTRA_CA_CERTIFICATES 'NOT-PEM' cannot be used: it"),
    ] as [([String], [String: String], String)])
    func refusesABadFile(arguments: [String], environment: [String: String], message: String) async throws {
        try await withTemporaryDirectory { directory in
            // NOT-PEM names a file that exists and holds text, but no certificate.
            try "a private CA, in words".write(toFile: directory + "/NOT-PEM", atomically: true, encoding: .utf8)
            let environment = environment.mapValues { $0 == "NOT-PEM" ? directory + "/NOT-PEM" : $0 }
            let message = message.replacingOccurrences(of: "'NOT-PEM'", with: "'\(directory)/NOT-PEM'")
            let data = directory + "/data"
            let refused = try HookLogBinary.run(["serve", "--data", data] + arguments, environment: environment)
            #expect(refused.status != 0)
            #expect(refused.stderr.contains(message), "\(refused.stderr)")
            #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
            #expect(!FileManager.default.fileExists(atPath: data), "nothing is created for a refused start")
        }
    }
}
