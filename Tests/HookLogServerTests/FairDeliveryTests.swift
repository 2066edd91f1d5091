import HookLogTestSupport
import NIOHTTP1
import Testing

/// docs/rules.md §2.2: the concurrency cap is shared between workspaces before webhooks, and a test send takes a slot
/// of its workspace's share, once a second per webhook at most.
@Suite("Fair delivery between workspaces")
struct FairDeliveryTests {
    /// A workspace whose eight webhooks' endpoints are slow: they answer nothing within the test (their attempts end
    /// only at the 5 s timeout, on a clock that the test moves), so each attempt holds its slot.
    private static func busyWorkspace(on server: ServerHarness) async throws -> (key: String, slowPaths: [String]) {
        let (_, key) = try await server.workspace(owner: "owner@busy.example")
        let paths = (0..<8).map { "/slow/\($0)" }
        for path in paths {
            server.receiver.setBehaviour(.hang, forPath: path)
            _ = try await server.webhook(key: key, path: path)
        }
        return (key, paths)
    }

    /// Requests that reached the slow endpoints so far.
    private static func slowRequests(_ server: ServerHarness) -> Int {
        server.receiver.requests().count { $0.path.hasPrefix("/slow/") }
    }

    /// The value of the gauge `name` in `/metrics`.
    private static func gauge(_ name: String, _ server: ServerHarness) async throws -> String? {
        let text = try await server.call(.GET, "/metrics").text
        return text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.map { String($0.dropFirst(name.count + 1)) }
    }

    /// Waits, in real time, until `/metrics` shows `value` for the gauge `name`: the engine publishes what it
    /// planned once it has handled the commits and finished jobs the test caused.
    private static func waitForGauge(_ name: String, _ value: String, _ server: ServerHarness) async throws {
        try await eventually("\(name) showing \(value)") { try await gauge(name, server) == value }
    }

    /// Waits, in real time, until the delivery `id` is `succeeded`, as the workspace of `key` reads it.
    private static func waitForSuccess(of id: String, key: String, _ server: ServerHarness) async throws {
        try await eventually("delivery \(id) succeeding") {
            try await server.call(.GET, "/v1/deliveries/\(id)", key: key).json["state"].string == "succeeded"
        }
    }

    @Test("with a cap of 4, one workspace's fast webhook is delivered again and again while another's slow endpoints hold all the slots its share allows")
    func aFastWorkspaceIsDeliveredBesideSlowOnes() async throws {
        try await withServer(concurrency: 4) { server in
            let busy = try await Self.busyWorkspace(on: server)
            let (_, quiet) = try await server.workspace(owner: "owner@quiet.example")
            _ = try await server.webhook(key: quiet, path: "/fast")
            let fanOut = try await server.call(.POST, "/v1/events", key: busy.key, body: #"{"type": "contact.created", "data": {}}"#)
            #expect(fanOut.status == 202)
            try await eventually("the busy workspace's attempts start") { Self.slowRequests(server) == 3 }

            for sent in 1...3 {
                let posted = try await server.call(.POST, "/v1/events", key: quiet, body: #"{"type": "contact.created", "data": {}}"#)
                #expect(posted.status == 202, "\(posted.text)")
                let delivery = try #require(posted.json["deliveries"][0]["id"].string)
                try await Self.waitForSuccess(of: delivery, key: quiet, server)
                #expect(server.receiver.requests(path: "/fast").count == sent)
            }
            #expect(Self.slowRequests(server) == 3, "the busy workspace's slow attempts still hold their slots, and no more")
            try await Self.waitForGauge("hooklog_delivery_slots_in_use", "3.0", server)
            #expect(try await Self.gauge("hooklog_delivery_slots", server) == "4.0")
            #expect(try await Self.gauge("hooklog_delivery_jobs_waiting", server) == "5.0")
            #expect(try await Self.gauge("hooklog_delivery_workspaces_with_work", server) == "1.0")
            #expect(try await Self.gauge("hooklog_delivery_workspace_share_slots", server) == "3.0")
        }
    }

    @Test("a test send takes a slot within its workspace's share: the busy workspace's waits, the quiet one's is sent at once")
    func testSendTakesASlotOfItsWorkspace() async throws {
        try await withServer(concurrency: 4) { server in
            let busy = try await Self.busyWorkspace(on: server)
            let busyFast = try await server.webhook(key: busy.key, path: "/busy-fast", events: ["message.sent"])
            let (_, quiet) = try await server.workspace(owner: "owner@quiet.example")
            let quietFast = try await server.webhook(key: quiet, path: "/quiet-fast")
            _ = try await server.call(.POST, "/v1/events", key: busy.key, body: #"{"type": "contact.created", "data": {}}"#)
            try await eventually("the busy workspace's attempts start") { Self.slowRequests(server) == 3 }

            let busyTest = Task { try await server.call(.POST, "/v1/webhooks/\(busyFast)/test", key: busy.key) }
            try await Self.waitForGauge("hooklog_delivery_jobs_waiting", "6.0", server)
            let quietTest = try await server.call(.POST, "/v1/webhooks/\(quietFast)/test", key: quiet)
            #expect(quietTest.status == 200, "\(quietTest.text)")
            #expect(quietTest.json["status_code"].int == 204)
            #expect(server.receiver.requests(path: "/busy-fast").isEmpty, "the busy workspace's test still waits")

            server.clock.advance(by: .seconds(5))
            let busyAnswer = try await busyTest.value
            #expect(busyAnswer.status == 200, "once the slow attempts time out, the test gets the first freed slot")
            #expect(busyAnswer.json["status_code"].int == 204)
        }
    }

    @Test("a second test send to a webhook within the test interval is 429 rate_limited, with Retry-After and the limit named")
    func testSendsAreLimitedPerWebhook() async throws {
        try await withServer { server in
            let (_, key) = try await server.workspace()
            let webhook = try await server.webhook(key: key, path: "/in")
            let other = try await server.webhook(key: key, path: "/other")
            #expect(try await server.call(.POST, "/v1/webhooks/\(webhook)/test", key: key).status == 200)

            let refused = try await server.call(.POST, "/v1/webhooks/\(webhook)/test", key: key)
            #expect(refused.status == 429)
            #expect(refused.errorCode == "rate_limited")
            #expect(refused.header("retry-after") == "1")
            let message = try #require(refused.json["error"]["message"].string)
            #expect(message.contains("one every 1 s per webhook") && message.contains("--test-interval 1"), "\(message)")
            #expect(server.receiver.requests(path: "/in").count == 1, "the refused test was not sent")

            #expect(try await server.call(.POST, "/v1/webhooks/\(other)/test", key: key).status == 200, "the limit is per webhook")
            server.clock.advance(by: .milliseconds(999))
            #expect(try await server.call(.POST, "/v1/webhooks/\(webhook)/test", key: key).status == 429)
            server.clock.advance(by: .milliseconds(1))
            #expect(try await server.call(.POST, "/v1/webhooks/\(webhook)/test", key: key).status == 200, "a second later")
            #expect(server.receiver.requests(path: "/in").count == 2)
            #expect(try await Self.gauge("hooklog_test_sends_refused", server) == "2.0")
            #expect(try await Self.gauge("hooklog_test_send_interval_seconds", server) == "1.0")
        }
    }
}
