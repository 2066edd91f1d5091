import AsyncHTTPClient
import Foundation
import HookLogTestSupport
import NIOCore
import NIOHTTP1
import Testing

@Suite("Ingest, the event log's pages, and the record stream")
struct IngestAndLogTests {
    @Test("a repeated event id or Idempotency-Key returns the first result and records nothing more, even concurrently")
    func idempotentIngest() async throws {
        try await withServer { server in
            let (_, key) = try await server.workspace()
            _ = try await server.webhook(key: key, path: "/hook")
            let first = try await server.call(.POST, "/v1/events", key: key, body: #"{"id": "evt_once", "type": "contact.created", "data": {"v": 1}}"#)
            let again = try await server.call(.POST, "/v1/events", key: key, body: #"{"id": "evt_once", "type": "contact.created", "data": {"v": 2}}"#)
            #expect(first.status == 202 && again.status == 202)
            #expect(first.text == again.text, "the first response, delivery ids included")

            let batch = #"{"events": [{"type": "contact.created", "data": {"n": 1}}, {"type": "contact.created", "data": {"n": 2}}]}"#
            let replies = try await withThrowingTaskGroup(of: APIClient.Reply.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await server.call(.POST, "/v1/events", key: key, body: batch, headers: [("Idempotency-Key", "import-42")]) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(replies.allSatisfy { $0.status == 202 }, "\(replies.map(\.text))")
            #expect(Set(replies.map(\.text)).count == 1, "every repeat gets the first response")
            #expect(replies[0].json["events"].count == 2)
            let log = try await server.call(.GET, "/v1/log?limit=500", key: key)
            let received = log.json["data"].array.filter { $0["type"].string == "EventReceived" }
            #expect(received.count == 3, "evt_once once, and the batch once: \(log.text)")
        }
    }

    @Test("paging a webhook's event log has no gaps or repeats while events keep arriving")
    func paginationUnderConcurrentAppends() async throws {
        try await withServer { server in
            let (_, key) = try await server.workspace()
            let webhook = try await server.webhook(key: key, path: "/hook")
            let events = (0..<120).map { #"{"id": "evt_\#($0)", "type": "contact.created", "data": {}}"# }
            for chunk in stride(from: 0, to: 120, by: 40) {
                let body = #"{"events": [\#(events[chunk..<chunk + 40].joined(separator: ","))]}"#
                #expect(try await server.call(.POST, "/v1/events", key: key, body: body).status == 202)
            }
            let writer = Task {
                for index in 0..<60 {
                    _ = try await server.call(.POST, "/v1/events", key: key, body: #"{"id": "evt_late\#(index)", "type": "contact.created", "data": {}}"#)
                }
            }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try await server.call(
                    .GET, "/v1/webhooks/\(webhook)/deliveries?limit=25" + (cursor.map { "&cursor=\($0)" } ?? ""), key: key)
                #expect(page.status == 200, "\(page.text)")
                seen += page.json["data"].array.compactMap { $0["event_id"].string }
                cursor = page.json["next_cursor"].string
            } while cursor != nil
            try await writer.value
            #expect(seen.count == Set(seen).count, "no delivery is listed twice")
            #expect(seen.filter { !$0.hasPrefix("evt_late") } == (0..<120).reversed().map { "evt_\($0)" },
                    "every delivery older than the first page's start is listed, newest first")
            let late = seen.filter { $0.hasPrefix("evt_late") }
            #expect(late == late.sorted { Int($0.dropFirst(8))! > Int($1.dropFirst(8))! }, "late arrivals seen are newest first too")
        }
    }

    @Test("the record stream sends records as they are appended and resumes after Last-Event-ID with nothing lost")
    func streamResumes() async throws {
        try await withServer { server in
            let (_, key) = try await server.workspace()
            _ = try await server.webhook(key: key, path: "/hook")
            var fromStart = try await EventStream(server, path: "/v1/log/stream", headers: Self.streamHeaders(key, lastEventID: 0))
            let firstRead = try await fromStart.events(3)
            #expect(firstRead.map(\.type) == ["WorkspaceCreated", "ApiKeyIssued", "WebhookCreated"])
            let resumeFrom = firstRead[1].id
            var live = try await EventStream(server, path: "/v1/log/stream", headers: Self.streamHeaders(key, lastEventID: resumeFrom))
            let caughtUp = try await live.untilLive()
            #expect(caughtUp.map(\.id) == [resumeFrom + 1], "what was committed after Last-Event-ID comes before the stream is live")
            _ = try await server.call(.POST, "/v1/events", key: key, body: #"{"id": "evt_live", "type": "contact.created", "data": {}}"#)
            let resumed = caughtUp + (try await live.events(1))
            #expect(resumed.map(\.id) == [resumeFrom + 1, resumeFrom + 2], "no gap and no repeat")
            #expect(resumed.map(\.type) == ["WebhookCreated", "EventReceived"])
            #expect(resumed[1].data.contains("evt_live"))
        }
    }

    @Test("with follow=false the record stream sends what is committed after the cursor, then ends")
    func streamWithoutFollowEnds() async throws {
        try await withServer { server in
            let (_, key) = try await server.workspace()
            _ = try await server.webhook(key: key, path: "/hook")

            let caughtUp = try await server.call(.GET, "/v1/log/stream?after=1&follow=false", key: key)

            #expect(caughtUp.status == 200)
            #expect(caughtUp.header("content-type") == "text/event-stream")
            #expect(caughtUp.text.components(separatedBy: "\n").filter { $0.hasPrefix("event: ") }
                == ["event: ApiKeyIssued", "event: WebhookCreated"])
            #expect(caughtUp.text.hasSuffix(": 3\n\n"), "the stream ends with the comment that it has caught up")
            let refused = try await server.call(.GET, "/v1/log/stream?follow=maybe", key: key)
            #expect(refused.status == 400)
            #expect(refused.errorCode == "invalid_field")
        }
    }

    private static func streamHeaders(_ key: String, lastEventID: UInt64) -> [(String, String)] {
        [("authorization", "Bearer \(key)"), ("last-event-id", String(lastEventID))]
    }

    @Test("healthz, metrics and the OpenAPI spec answer without a key, and the spec lists every route")
    func operations() async throws {
        try await withServer { server in
            let (_, key) = try await server.workspace()
            _ = try await server.webhook(key: key, path: "/hook")
            _ = try await server.call(.POST, "/v1/events", key: key, body: #"{"type": "contact.created", "data": {}}"#)
            try await server.settle()
            let health = try await server.call(.GET, "/healthz")
            #expect(health.status == 200)
            #expect(health.json["status"].string == "ok")
            var metrics = try await server.call(.GET, "/metrics")
            for _ in 0..<500 where !metrics.text.contains("outcome=\"succeeded\"") {
                try await Task.sleep(for: .milliseconds(10))
                metrics = try await server.call(.GET, "/metrics")
            }
            #expect(metrics.status == 200)
            for name in ["hooklog_events_ingested_total 1", "hooklog_attempts_total{outcome=\"succeeded\",class=\"none\"} 1",
                         "hooklog_deliveries_total{outcome=\"succeeded\"} 1",
                         "hooklog_attempt_duration_seconds_bucket", "hooklog_queue_depth 0", "hooklog_webhooks_disabled 0", "hooklog_log_records",
                         #"hooklog_http_requests_total{method="GET",route="/healthz",status="200"} 1"#,
                         #"hooklog_http_requests_total{method="POST",route="/v1/events",status="202"} 1"#,
                         #"hooklog_http_request_duration_seconds_bucket{method="POST",route="/v1/webhooks""#] {
                #expect(metrics.text.contains(name), "\(name) in \(metrics.text)")
            }
            let spec = try await server.call(.GET, "/openapi.yaml")
            #expect(spec.status == 200)
            #expect(spec.text.hasPrefix("openapi: 3.1"))
            let operations = Self.operations(in: spec.text)
            #expect(operations.count == 31, "every route of docs/rules.md §4 but the dashboard: \(operations)")
            for (method, path) in operations {
                let concrete = path.replacingOccurrences(of: #"\{[a-z_]+\}"#, with: "x_1", options: .regularExpression)
                let reply = try await server.call(HTTPMethod(rawValue: method.uppercased()), concrete, key: "hk_nobody")
                if path == "/v1/log/stream" { continue }
                #expect(reply.status != 404 && reply.status != 405, "the spec's \(method) \(path) is served: \(reply.status)")
            }
        }
    }

    /// The `(method, path)` pairs of an OpenAPI document's `paths`.
    static func operations(in yaml: String) -> [(String, String)] {
        var operations: [(String, String)] = []
        var path: String?
        var inPaths = false
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("paths:") { inPaths = true; continue }
            if inPaths, let first = line.first, first != " ", first != "#" { inPaths = false }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast()).trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
            } else if let path, line.hasPrefix("    "), !line.hasPrefix("     "),
                      let method = ["get:", "post:", "patch:", "delete:", "put:"].first(where: { line.dropFirst(4).hasPrefix($0) }) {
                operations.append((String(method.dropLast()), path))
            }
        }
        return operations
    }
}
