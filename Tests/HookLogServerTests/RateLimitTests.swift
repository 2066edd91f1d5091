import HookLogCore
import HookLogTestSupport
import NIOHTTP1
import Testing

/// docs/rules.md §2.2, a webhook's `rate_limit`: its queue waits for its turn, in order, and waiting is no failure.
/// Time runs on the harness's manual clock.
@Suite("Per-endpoint rate limit, over HTTP")
struct RateLimitTests {
    @Test("at 2 a second deliveries start 500 ms apart, in order, with no failure; removing the limit lets the rest go")
    func pacedDeliveries() async throws {
        try await withServer { server in
            let (_, key) = try await server.workspace()
            let created = try await server.call(
                .POST, "/v1/webhooks", key: key,
                body: #"{"url": "\#(server.receiver.url("/slow-crm"))", "events": ["contact.created"], "rate_limit": 2}"#)
            #expect(created.status == 201, "\(created.text)")
            #expect(created.json["rate_limit"].int == 2)
            let webhook = try #require(created.json["id"].string)
            let other = try await server.webhook(key: key, path: "/fast-crm")
            for index in 0..<5 {
                let accepted = try await server.call(
                    .POST, "/v1/events", key: key, body: #"{"id": "evt_\#(index)", "type": "contact.created", "data": {}}"#)
                #expect(accepted.status == 202, "\(accepted.text)")
            }
            let start = server.clock.now
            _ = try await server.receiver.waitForRequests(count: 5, path: "/fast-crm")
            _ = try await server.receiver.waitForRequests(count: 1, path: "/slow-crm")
            #expect(server.receiver.requests(path: "/slow-crm").count == 1, "the webhook without a limit got all five at once")
            for delivered in 2...3 {
                server.clock.advance(by: .milliseconds(500))
                _ = try await server.receiver.waitForRequests(count: delivered, path: "/slow-crm")
            }

            let removed = try await server.call(.PATCH, "/v1/webhooks/\(webhook)", key: key, body: #"{"rate_limit": null}"#)
            #expect(removed.status == 200, "\(removed.text)")
            #expect(removed.text.contains(#""rate_limit":null"#), "\(removed.text)")
            let all = try await server.receiver.waitForRequests(count: 5, path: "/slow-crm")
            #expect(all.map { $0.header("webhook-id") } == (0..<5).map { "evt_\($0)" }, "in order")
            try await server.settle()
            let log = try await server.call(.GET, "/v1/webhooks/\(webhook)/deliveries", key: key)
            let deliveries = log.json["data"].array.sorted { ($0["event_id"].string ?? "") < ($1["event_id"].string ?? "") }
            #expect(deliveries.map { $0["state"].string } == Array(repeating: "succeeded", count: 5))
            #expect(deliveries.map { $0["attempts"].count } == Array(repeating: 1, count: 5))
            #expect(deliveries.map { $0["attempts"][0]["started_at"].string } == [0, 500, 1_000, 1_000, 1_000].map {
                start.adding(.milliseconds($0)).rfc3339
            }, "500 ms apart while limited; at once after")
            let audit = try await server.call(.GET, "/v1/webhooks/\(webhook)/audit", key: key)
            #expect(audit.json["failures"].int == 0, "waiting is no failure: \(audit.text)")
            #expect(try await server.call(.GET, "/v1/webhooks/\(other)", key: key).text.contains(#""rate_limit":null"#))
        }
    }

    @Test("a rate limit outside 1 to 1000 a second, or not a whole number, is refused on create and on change")
    func badLimitsAreRefused() async throws {
        try await withServer { server in
            let (_, key) = try await server.workspace()
            let url = server.receiver.url("/crm")
            for limit in ["0", "-5", "1001", "2.5", #""10""#, "true"] {
                let refused = try await server.call(
                    .POST, "/v1/webhooks", key: key, body: #"{"url": "\#(url)", "events": ["contact.created"], "rate_limit": \#(limit)}"#)
                #expect(refused.status == 400 && refused.errorCode == "invalid_field", "\(limit): \(refused.text)")
            }
            #expect(try await server.call(.GET, "/v1/webhooks", key: key).json["data"].count == 0, "nothing was created")
            let webhook = try await server.webhook(key: key, path: "/crm")
            let set = try await server.call(.PATCH, "/v1/webhooks/\(webhook)", key: key, body: #"{"rate_limit": 1000}"#)
            #expect(set.status == 200 && set.json["rate_limit"].int == 1000, "\(set.text)")
            for limit in ["0", "1001", "2.5"] {
                let refused = try await server.call(.PATCH, "/v1/webhooks/\(webhook)", key: key, body: #"{"rate_limit": \#(limit)}"#)
                #expect(refused.status == 400 && refused.errorCode == "invalid_field", "\(limit): \(refused.text)")
            }
            let nothing = try await server.call(.PATCH, "/v1/webhooks/\(webhook)", key: key, body: "{}")
            #expect(nothing.status == 400 && nothing.json["error"]["message"].string?.contains("rate_limit") == true)
            #expect(try await server.call(.GET, "/v1/webhooks/\(webhook)", key: key).json["rate_limit"].int == 1000)
        }
    }
}
