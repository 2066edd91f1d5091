import Foundation
import HookLogCore
@testable import HookLogServer
import HookLogStore
import HookLogTestSupport
import NIOHTTP1
import Testing

/// docs/operations.md, "Limits for many tenants": the webhooks a workspace may have and the events it may send a
/// second, each refused with a message naming the limit and its value, counted in `/metrics`.
@Suite("Limits for many tenants")
struct TenantLimitTests {
    @Test("one webhook more than --max-webhooks-per-workspace is 409 limit_reached; deleting one makes room; other workspaces are not held to it")
    func webhooksPerWorkspace() async throws {
        try await withServer(maxWebhooksPerWorkspace: 3) { server in
            let (_, key) = try await server.workspace()
            let created = try await (0..<3).asyncMap { index in try await server.webhook(key: key, path: "/hook\(index)") }

            let refused = try await server.call(.POST, "/v1/webhooks", key: key, body: Self.newWebhook(server, path: "/one-more"))

            #expect(refused.status == 409, "\(refused.text)")
            #expect(refused.errorCode == "limit_reached")
            let message = try #require(refused.json["error"]["message"].string)
            #expect(message.contains("has 3 webhooks and the limit is 3 per workspace (--max-webhooks-per-workspace 3)"), "\(message)")
            let listed = try await server.call(.GET, "/v1/webhooks", key: key)
            #expect(listed.json["data"].count == 3, "nothing was created: \(listed.text)")

            let (_, otherKey) = try await server.workspace()
            #expect(try await server.call(.POST, "/v1/webhooks", key: otherKey, body: Self.newWebhook(server, path: "/theirs")).status == 201)

            #expect(try await server.call(.DELETE, "/v1/webhooks/\(created[0])", key: key).status == 204)
            #expect(try await server.call(.POST, "/v1/webhooks", key: key, body: Self.newWebhook(server, path: "/instead")).status == 201)

            let metrics = try await server.call(.GET, "/metrics").text
            #expect(Self.value(of: #"hooklog_limit_refusals_total{limit="webhooks_per_workspace"}"#, in: metrics) == 1, "\(metrics)")
            #expect(Self.value(of: #"hooklog_limit_refusals_total{limit="ingest_rate"}"#, in: metrics) == 0)
            #expect(Self.value(of: #"hooklog_limit{limit="webhooks_per_workspace"}"#, in: metrics) == 3)
        }
    }

    @Test("a workspace with more webhooks than a lowered limit keeps them all and their deliveries; only creating is refused")
    func loweredWebhookLimit() async throws {
        try await withTemporaryDirectory { directory in
            let (key, webhooks) = try await withServer(in: directory, maxWebhooksPerWorkspace: 3) { server in
                let (_, key) = try await server.workspace()
                let webhooks = try await (0..<3).asyncMap { index in try await server.webhook(key: key, path: "/hook\(index)") }
                return (key, webhooks)
            }
            try await withServer(in: directory, maxWebhooksPerWorkspace: 1) { server in
                let sent = try await server.call(.POST, "/v1/events", key: key, body: #"{"type": "contact.created", "data": {}}"#)
                #expect(sent.status == 202, "\(sent.text)")
                #expect(Set(sent.json["deliveries"].array.compactMap { $0["webhook_id"].string }) == Set(webhooks))
                let changed = try await server.call(
                    .PATCH, "/v1/webhooks/\(webhooks[2])", key: key, body: #"{"events": ["contact.updated"]}"#)
                #expect(changed.status == 200, "\(changed.text)")

                let refused = try await server.call(.POST, "/v1/webhooks", key: key, body: Self.newWebhook(server, path: "/fourth"))
                #expect(refused.status == 409)
                #expect(refused.json["error"]["message"].string?.contains("has 3 webhooks and the limit is 1 per workspace") == true, "\(refused.text)")
            }
        }
    }

    @Test("events beyond --ingest-rate are 429 rate_limited with Retry-After, nothing of them written; the bucket refills on the clock, per workspace")
    func ingestRate() async throws {
        try await withServer(ingestRate: 10) { server in
            let (_, key) = try await server.workspace()
            #expect(try await server.call(.POST, "/v1/events", key: key, body: Self.batch(15)).status == 202)
            let length = server.store.withState(\.lastSequence)

            let refused = try await server.call(.POST, "/v1/events", key: key, body: Self.batch(10))

            #expect(refused.status == 429, "\(refused.text)")
            #expect(refused.errorCode == "rate_limited")
            #expect(refused.header("Retry-After") == "1", "5 tokens short at 10 a second: half a second, rounded up")
            let message = try #require(refused.json["error"]["message"].string)
            #expect(message.contains("may send 10 events a second, 20 at once (--ingest-rate 10)"), "\(message)")
            #expect(server.store.withState(\.lastSequence) == length)

            let (_, otherKey) = try await server.workspace()
            #expect(try await server.call(.POST, "/v1/events", key: otherKey, body: Self.batch(20)).status == 202, "another workspace has its own bucket")

            server.clock.advance(by: .milliseconds(500))
            #expect(try await server.call(.POST, "/v1/events", key: key, body: Self.batch(10)).status == 202)
            #expect(try await server.call(.POST, "/v1/events", key: key, body: #"{"type": "contact.created", "data": {}}"#).status == 429)

            let metrics = try await server.call(.GET, "/metrics").text
            #expect(Self.value(of: #"hooklog_limit_refusals_total{limit="ingest_rate"}"#, in: metrics) == 2, "\(metrics)")
            #expect(Self.value(of: #"hooklog_limit{limit="ingest_rate"}"#, in: metrics) == 10)
            #expect(Self.value(of: #"hooklog_limit{limit="ingest_burst"}"#, in: metrics) == 20)
            #expect(Self.value(of: #"hooklog_limit{limit="deliveries_per_commit"}"#, in: metrics) == 4096)
        }
    }

    @Test("a batch larger than the burst is accepted from a full bucket, which it leaves in debt: the next event waits until it is paid")
    func batchLargerThanTheBurst() async throws {
        try await withServer(ingestRate: 10) { server in
            let (_, key) = try await server.workspace()
            #expect(try await server.call(.POST, "/v1/events", key: key, body: Self.batch(1)).status == 202)
            let notFull = try await server.call(.POST, "/v1/events", key: key, body: Self.batch(50))
            #expect(notFull.status == 429, "a batch over the burst needs a full bucket")
            #expect(notFull.header("Retry-After") == "1")

            server.clock.advance(by: .seconds(1))
            let large = try await server.call(.POST, "/v1/events", key: key, body: Self.batch(50))
            #expect(large.status == 202, "\(large.text)")
            #expect(large.json["events"].count == 50)

            let next = try await server.call(.POST, "/v1/events", key: key, body: Self.batch(1))
            #expect(next.status == 429)
            #expect(next.header("Retry-After") == "4", "30 tokens of debt and 1 more at 10 a second")
            server.clock.advance(by: .seconds(4))
            #expect(try await server.call(.POST, "/v1/events", key: key, body: Self.batch(1)).status == 202)
        }
    }

    @Test("the rate limiter keeps buckets only for workspaces that sent lately")
    func bucketsAreBounded() {
        let limiter = IngestRateLimiter(rate: 1000)
        let start = Timestamp(seconds: 1_800_000_000)
        for index in 0..<1500 { #expect(limiter.admit(1, for: WorkspaceID("ws_early\(index)"), at: start) == nil) }
        #expect(limiter.bucketCount == 1500)

        let later = start.adding(.milliseconds(10))
        for index in 0..<600 { #expect(limiter.admit(1, for: WorkspaceID("ws_late\(index)"), at: later) == nil) }

        #expect(limiter.bucketCount == 600, "the early workspaces' buckets filled up again and were dropped")
        #expect(limiter.admit(2000, for: WorkspaceID("ws_early0"), at: later) == nil, "a dropped bucket is a full one")
    }

    /// The body of `POST /v1/webhooks` to the receiver's `path`.
    static func newWebhook(_ server: ServerHarness, path: String) -> String {
        #"{"url": "\#(server.receiver.url(path))", "events": ["contact.created"]}"#
    }

    /// A batch of `count` events.
    static func batch(_ count: Int) -> String {
        #"{"events": [\#((0..<count).map { #"{"type": "contact.created", "data": {"n": \#($0)}}"# }.joined(separator: ","))]}"#
    }

    /// The value of the metric line `series` in `exposition`, if there is one.
    static func value(of series: String, in exposition: String) -> Double? {
        exposition.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.dropFirst(series.count + 1)) }
    }
}

extension Sequence {
    /// The results of `transform` on each element, one after the other.
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
