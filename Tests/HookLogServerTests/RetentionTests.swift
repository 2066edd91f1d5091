import HookLogCore
import HookLogTestSupport
import NIOHTTP1
import Testing

@Suite("Retention, over HTTP")
struct RetentionTests {
    @Test("finished history older than the retention is compacted away: its ids answer 404 saying where history starts")
    func expiredHistoryAnswers404() async throws {
        try await withTemporaryDirectory { directory in
            let server = try await ServerHarness(directory: directory, retention: .seconds(3_600))
            do {
                let (_, key) = try await server.workspace()
                let webhook = try await server.webhook(key: key, path: "/crm")
                #expect(try await server.call(.GET, "/v1/log", key: key).json["history_starts_at"].string == nil, "nothing is cut yet")
                let accepted = try await server.call(
                    .POST, "/v1/events", key: key, body: #"{"id": "evt_old", "type": "contact.created", "data": {}}"#)
                #expect(accepted.status == 202)
                let delivery = try #require(accepted.json["deliveries"][0]["id"].string)
                _ = try await server.receiver.waitForRequests(count: 1, path: "/crm")
                try await server.settle()
                #expect(try await server.call(.GET, "/v1/events/evt_old", key: key).status == 200)

                server.clock.advance(by: .seconds(7_200))
                var expired = try await server.call(.GET, "/v1/events/evt_old", key: key)
                for _ in 0..<200 where expired.status != 404 {
                    try await Task.sleep(for: .milliseconds(50))
                    expired = try await server.call(.GET, "/v1/events/evt_old", key: key)
                }
                #expect(expired.status == 404, "the compactor removes the old event")
                #expect(expired.json["error"]["code"].string == "not_found")
                #expect(expired.json["error"]["message"].string?.contains("older than the history") == true)
                let start = server.clock.now.adding(.seconds(-3_600)).rfc3339
                #expect(expired.json["error"]["history_starts_at"].string == start)
                let gone = try await server.call(.GET, "/v1/deliveries/\(delivery)", key: key)
                #expect(gone.status == 404)
                #expect(gone.json["error"]["history_starts_at"].string == start)
                #expect(try await server.call(.GET, "/v1/events/evt_never", key: key).json["error"]["history_starts_at"].string == start)

                let page = try await server.call(.GET, "/v1/webhooks/\(webhook)/deliveries", key: key)
                #expect(page.json["data"].count == 0)
                #expect(page.json["history_starts_at"].string == start)
                let recent = server.clock.now.adding(.seconds(-60)).rfc3339
                let later = try await server.call(.GET, "/v1/webhooks/\(webhook)/deliveries?since=\(recent)", key: key)
                #expect(later.json["history_starts_at"].string == nil, "a range after the start reaches nothing that is gone")
                #expect(try await server.call(.GET, "/v1/log", key: key).json["history_starts_at"].string == start)
                let audit = try await server.call(.GET, "/v1/webhooks/\(webhook)/audit", key: key)
                #expect(audit.json["history_starts_at"].string == nil, "the audit counts from the webhook's creation")
                #expect(audit.json["attempts"].int == 1, "compaction removes records, not what they counted")
                let until = server.clock.now.rfc3339
                let ranged = try await server.call(.GET, "/v1/webhooks/\(webhook)/audit?until=\(until)", key: key)
                #expect(ranged.json["history_starts_at"].string == start)
                #expect(ranged.json["attempts"].int == 0, "an audit of a range counts what the log keeps")

                let metrics = try await server.call(.GET, "/metrics")
                #expect(metrics.text.contains("hooklog_compacted_records_total"))
                #expect(!metrics.text.contains("hooklog_compacted_records_total 0\n"))
                try await server.stop()
            } catch {
                try? await server.stop()
                throw error
            }
        }
    }
}
