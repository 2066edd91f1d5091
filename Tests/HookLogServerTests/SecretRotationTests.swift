import HookLogCore
import HookLogDelivery
import HookLogTestSupport
import NIOHTTP1
import Testing

/// docs/rules.md, "Secret rotation", over HTTP: a receiver that knows either secret accepts deliveries during the
/// overlap, only the new one after it, and `?overlap=0` ends the old secret at once.
@Suite("Secret rotation, over HTTP")
struct SecretRotationOverHTTPTests {
    @Test("during the overlap each delivery carries the new signature then the old; after it, only the new")
    func overlap() async throws {
        try await withServer { server in
            let (_, key) = try await server.workspace()
            let webhook = try await server.webhook(key: key, path: "/crm")
            let old = try #require(try await server.call(.GET, "/v1/webhooks/\(webhook)", key: key).json["secret"].string)

            let rotated = try await server.call(.POST, "/v1/webhooks/\(webhook)/rotate-secret", key: key)
            #expect(rotated.status == 200, "\(rotated.text)")
            let new = try #require(rotated.json["secret"].string)
            #expect(new != old && new.hasPrefix("whsec_"))
            #expect(rotated.json["previous_secret_expires_at"].string == server.clock.now.adding(.seconds(86_400)).rfc3339)

            let during = try await deliver("evt_during", to: "/crm", server: server, key: key)
            #expect(during.signatures.count == 2)
            #expect(during.signatures.first == during.expected(new), "the new secret's signature comes first")
            #expect(during.verifies(with: new) && during.verifies(with: old))

            // The attempt is recorded before the day passes: a clock that jumps while the answer is on its way would
            // judge that attempt timed out and leave the next delivery waiting for its retry.
            try await server.settle()
            server.clock.advance(by: .seconds(86_400))
            let after = try await deliver("evt_after", to: "/crm", server: server, key: key)
            #expect(after.signatures.count == 1)
            #expect(after.verifies(with: new))
            #expect(!after.verifies(with: old), "the old secret no longer verifies once the overlap is over")
        }
    }

    @Test("?overlap=0 ends the old secret at once, for a leaked secret; an overlap out of range is refused")
    func zeroOverlap() async throws {
        try await withServer { server in
            let (_, key) = try await server.workspace()
            let webhook = try await server.webhook(key: key, path: "/crm")
            let old = try #require(try await server.call(.GET, "/v1/webhooks/\(webhook)", key: key).json["secret"].string)
            for overlap in ["-1", "86401", "soon"] {
                let refused = try await server.call(.POST, "/v1/webhooks/\(webhook)/rotate-secret?overlap=\(overlap)", key: key)
                #expect(refused.status == 400 && refused.errorCode == "invalid_field", "\(overlap): \(refused.text)")
            }
            #expect(try await server.call(.GET, "/v1/webhooks/\(webhook)", key: key).json["secret"].string == old)

            let rotated = try await server.call(.POST, "/v1/webhooks/\(webhook)/rotate-secret?overlap=0", key: key)
            #expect(rotated.status == 200, "\(rotated.text)")
            #expect(rotated.text.contains(#""previous_secret_expires_at":null"#), "\(rotated.text)")
            let new = try #require(rotated.json["secret"].string)
            let delivered = try await deliver("evt_leaked", to: "/crm", server: server, key: key)
            #expect(delivered.signatures.count == 1)
            #expect(delivered.verifies(with: new) && !delivered.verifies(with: old))
        }
    }

    /// Sends an event and returns the signed delivery the receiver got for it.
    private func deliver(_ eventID: String, to path: String, server: ServerHarness, key: String) async throws -> SignedDelivery {
        let before = server.receiver.requests(path: path).count
        let accepted = try await server.call(
            .POST, "/v1/events", key: key, body: #"{"id": "\#(eventID)", "type": "contact.created", "data": {}}"#)
        #expect(accepted.status == 202, "\(accepted.text)")
        let request = try await server.receiver.waitForRequests(count: before + 1, path: path)[before]
        return try SignedDelivery(request)
    }
}
