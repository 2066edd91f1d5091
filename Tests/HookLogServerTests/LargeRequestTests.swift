import HookLogCore
import HookLogStore
import HookLogTestSupport
import NIOHTTP1
import Testing

/// docs/rules.md §3.3: a request whose events fan out to more deliveries than one commit brings is written over
/// several commits and answered once every part is durable; a retry gets the first answer, and after a stop between
/// parts it writes only what is missing.
@Suite("Large ingest requests")
struct LargeRequestTests {
    /// Webhooks of the workspace, each subscribed to every event sent.
    static let webhookCount = 50
    /// Events of the request: with ``webhookCount`` webhooks, 10,000 deliveries, more than two commits bring.
    static let eventCount = 200
    /// Events of the first part: the first to reach ``LogStore/deliveriesPerCommit`` deliveries ends it.
    static let firstPart = 82

    @Test("a request whose fan-out passes the bound is written over several commits, in order for every webhook, and answered once; a retry with its Idempotency-Key gets the same answer")
    func writtenOverSeveralCommits() async throws {
        try await withServer { server in
            let (_, key) = try await server.workspace()
            let webhooks = try await Self.webhooks(of: key, on: server)
            var commits = server.store.commits().makeAsyncIterator()

            let answer = try await server.call(.POST, "/v1/events", key: key, body: Self.body, headers: [("Idempotency-Key", "import-7")])

            #expect(answer.status == 202, "\(answer.text)")
            let ids = answer.json["events"].array.compactMap { $0["id"].string }
            #expect(ids.count == Self.eventCount)
            var parts: [Int] = []
            while parts.reduce(0, +) < Self.eventCount * Self.webhookCount, let commit = await commits.next() {
                let deliveries = commit.reduce(0) { sum, entry in
                    guard case .eventReceived(let fact) = entry.record.fact else { return sum }
                    return sum + fact.deliveries.count
                }
                if deliveries > 0 { parts.append(deliveries) }
            }
            #expect(parts == [4100, 4100, 1800], "each part ends with the event that reaches \(LogStore.deliveriesPerCommit) deliveries")
            let page = try await server.call(.GET, "/v1/webhooks/\(webhooks[0])/deliveries?limit=\(Self.eventCount)", key: key)
            #expect(page.json["data"].array.compactMap { $0["event_id"].string } == ids.reversed(), "newest first, in the request's order")

            let retry = try await server.call(.POST, "/v1/events", key: key, body: Self.body, headers: [("Idempotency-Key", "import-7")])
            #expect(retry.status == 202)
            #expect(retry.text == answer.text)
            let after = try await server.call(.GET, "/v1/webhooks/\(webhooks[0])/deliveries?limit=\(Self.eventCount + 1)", key: key)
            #expect(after.json["data"].array.count == Self.eventCount, "the retry queued no delivery: the delivery engine's attempts move the log, the retry writes no event")
        }
    }

    @Test("a retry of a request the server stopped writing between its parts writes only the missing parts, and answers for the whole request")
    func retryAfterAStopBetweenParts() async throws {
        try await withServer { server in
            let (workspace, key) = try await server.workspace()
            _ = try await Self.webhooks(of: key, on: server)
            // What a stop after the first part leaves in the log: its events, with the request's key.
            let written = try await server.store.execute(
                (0..<Self.firstPart).map { .receiveEvent(Self.event($0, to: WorkspaceID(workspace), key: "import-8")) },
                at: server.clock.now)
            let writtenIDs = try written.map { result -> String in
                guard case .eventReceived(let fact) = try result.get().first?.record.fact else { throw TestFailure("no event in \(result)") }
                return fact.eventID.rawValue
            }

            let answer = try await server.call(.POST, "/v1/events", key: key, body: Self.body, headers: [("Idempotency-Key", "import-8")])

            #expect(answer.status == 202, "\(answer.text)")
            let ids = answer.json["events"].array.compactMap { $0["id"].string }
            #expect(ids.count == Self.eventCount)
            #expect(Array(ids.prefix(Self.firstPart)) == writtenIDs)
            let log = try await server.call(.GET, "/v1/log?limit=500", key: key)
            let received = log.json["data"].array.filter { $0["type"].string == "EventReceived" }
            #expect(received.count == Self.eventCount, "the first part once, then the rest")
        }
    }

    /// The request's body: ``eventCount`` events, each with data of its own.
    static var body: String {
        #"{"events": [\#((0..<eventCount).map { #"{"type": "contact.created", "data": {"n": \#($0)}}"# }.joined(separator: ","))]}"#
    }

    /// The `index`th event of ``body``, as the server makes it.
    static func event(_ index: Int, to workspace: WorkspaceID, key: String) -> IncomingEvent {
        IncomingEvent(
            workspaceID: workspace, type: .contactCreated, data: Array(#"{"n": \#(index)}"#.utf8), idempotencyKey: key)
    }

    /// Registers ``webhookCount`` webhooks whose endpoint never answers, so that the test's own deliveries add no records.
    static func webhooks(of key: String, on server: ServerHarness) async throws -> [String] {
        server.receiver.setBehaviour(.hang, forPath: "/busy")
        return try await (0..<webhookCount).asyncMap { _ in try await server.webhook(key: key, path: "/busy") }
    }
}
