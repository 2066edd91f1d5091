import HookLogTestSupport
import NIOHTTP1
import Testing

/// docs/rules.md §2.5 over HTTP: an endpoint that answers `410 Gone` to a delivery has its webhook disabled at once,
/// its queue skipped and its owner e-mailed; the same answer to a test send disables nothing.
@Suite("An endpoint that answers 410 Gone, over HTTP")
struct GoneEndpointStoryTests {
    @Test("a test send answered 410 disables nothing; a delivery answered 410 disables the webhook at once, skips its queue and mails the owner")
    func goneDisablesTheWebhook() async throws {
        let sink = try await SMTPSink()
        defer { sink.stop() }
        try await withServer(smtpPort: sink.port) { server in
            let (_, key) = try await server.workspace(owner: "ops@acme.example")
            let webhook = try await server.webhook(key: key, path: "/gone", events: ["contact.created"])
            server.receiver.setBehaviour(.respond(status: 410, body: "no such hook"), forPath: "/gone")

            let tested = try await server.call(.POST, "/v1/webhooks/\(webhook)/test", key: key)
            #expect(tested.status == 200, "\(tested.text)")
            #expect(tested.json["status_code"].int == 410)
            #expect(try await server.call(.GET, "/v1/webhooks/\(webhook)", key: key).json["status"].string == "active")

            for index in 0..<3 {
                let reply = try await server.call(
                    .POST, "/v1/events", key: key, body: #"{"id": "evt_g\#(index)", "type": "contact.created", "data": {}}"#)
                #expect(reply.status == 202)
            }
            _ = try await server.receiver.waitForRequests(count: 2, path: "/gone")
            try await server.settle()

            let disabled = try await server.call(.GET, "/v1/webhooks/\(webhook)", key: key)
            #expect(disabled.json["status"].string == "disabled", "\(disabled.text)")
            #expect(disabled.json["disabled_reason"].string == "the endpoint answered 410 Gone")
            let skipped = try await server.call(.GET, "/v1/webhooks/\(webhook)/deliveries?status=skipped", key: key)
            #expect(skipped.json["data"].count == 3, "the head and the two behind it, recoverable: \(skipped.text)")
            let head = try await server.call(.GET, "/v1/events/evt_g0", key: key)
            #expect(head.json["deliveries"][0]["attempts"].count == 1, "not retried")
            #expect(head.json["deliveries"][0]["attempts"][0]["status_code"].int == 410)

            let mails = try await sink.waitForMessages(count: 1)
            #expect(mails[0].recipients == ["ops@acme.example"])
            #expect(mails[0].body.contains("Reason:    the endpoint answered 410 Gone"), "\(mails[0].body)")
            #expect(mails[0].body.contains("/webhooks/\(webhook)\n"), "a link to its event log on the dashboard")
            #expect(server.receiver.requests(path: "/gone").count == 2, "the test send and the one delivery attempt")

            server.receiver.setBehaviour(.respond(status: 204), forPath: "/gone")
            let enabled = try await server.call(.POST, "/v1/webhooks/\(webhook)/enable?recover=true", key: key)
            #expect(enabled.json["recovered"].int == 3)
            let delivered = try await server.receiver.waitForRequests(count: 5, path: "/gone")
            #expect(delivered.suffix(3).compactMap { $0.header("webhook-id") } == ["evt_g0", "evt_g1", "evt_g2"])
        }
    }
}
