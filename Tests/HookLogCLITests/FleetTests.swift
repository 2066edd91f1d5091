import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HookLogCore
import HookLogTestSupport
import Testing

/// Three `hooklog serve` nodes on one PostgreSQL log, as docs/postgres.md runs a fleet: events ingested through any
/// node, one node killed mid-load, a fourth joining.
@Suite("A fleet of nodes on PostgreSQL", .serialized)
struct FleetTests {
    static let adminKey = "fleet-admin-key-0123456789abcdef-0123456789"

    @Test("kill -9 of a node under load: every acknowledged event is delivered in order, its partitions deliver again within 15 s, a fourth node takes its share")
    func failoverUnderLoad() async throws {
        try await PostgresCluster.with { cluster in
            try await withTemporaryDirectory { directory in
                let receiver = try await TestReceiver.start()
                let environment = try PostgresServeTests.passwordFile(for: cluster, in: directory)
                var nodes: [RunningServer] = []
                for index in 0..<3 { nodes.append(try Self.node(index, cluster: cluster, directory: directory, environment: environment)) }
                try await Self.waitForShares(of: nodes)

                var keys: [String] = []
                var workspaces: [WorkspaceID] = []
                for (index, name) in ["Acme", "Globex"].enumerated() {
                    let created = try await nodes[index].post(
                        "/v1/workspaces", key: Self.adminKey, ["name": name, "plan": "advanced", "owner_email": "ops@\(name).example"])
                    keys.append(try #require((created["api_key"] as? [String: Any])?["key"] as? String, "\(created)"))
                    workspaces.append(WorkspaceID(try #require((created["workspace"] as? [String: Any])?["id"] as? String)))
                    for hook in 0..<20 {
                        let webhook = try await nodes[hook % 3].post(
                            "/v1/webhooks", key: keys[index], ["url": receiver.url("/\(index)/\(hook)"), "events": ["contact.created"]])
                        #expect(webhook["id"] is String, "\(webhook)")
                    }
                }
                let victim = try await Self.owner(of: Partition(of: workspaces[0]), among: nodes)

                let clients = Clients(nodes: nodes.map(\.port))
                let perWorkspace = 150
                let (apiKeys, victimPID, victimPort) = (keys, nodes[victim].process.processIdentifier, nodes[victim].port)
                let killedAt = try await withThrowingTaskGroup(of: Timestamp?.self) { group in
                    for index in 0..<2 {
                        group.addTask { try await clients.ingest(perWorkspace, key: apiKeys[index], prefix: "evt_\(index)_"); return nil }
                    }
                    group.addTask {
                        while await clients.acknowledged < perWorkspace / 2 { try await Task.sleep(for: .milliseconds(5)) }
                        kill(victimPID, SIGKILL)
                        await clients.avoid(victimPort)
                        return Self.wallClock()
                    }
                    return try await group.reduce(into: Timestamp?.none) { $0 = $0 ?? $1 }
                }
                nodes[victim].crash()
                let killed = try #require(killedAt)
                let acknowledged = await clients.acknowledgedIDs
                #expect(acknowledged.count == 2 * perWorkspace, "every event was acknowledged by some node")

                for index in 0..<2 {
                    for hook in 0..<20 {
                        let path = "/\(index)/\(hook)"
                        let numbers = try await Self.firstArrivals(of: perWorkspace, at: path, on: receiver)
                        #expect(numbers == Array(0..<perWorkspace), "\(path): first arrivals \(numbers.prefix(10))… of \(numbers.count)")
                    }
                }
                let resumed = receiver.requests(path: "/0/0").first { $0.receivedAt > killed }
                let gap = try #require(resumed).receivedAt.milliseconds - killed.milliseconds
                #expect(gap < 15_000, "the killed node's workspace was delivered again \(gap) ms after the kill")

                let verify = try HookLogBinary.run(["rebuild", "--verify", "--store", cluster.url], environment: environment)
                #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")

                let survivors = nodes.indices.filter { $0 != victim }.map { nodes[$0] }
                let joiner = try Self.node(3, cluster: cluster, directory: directory, environment: environment)
                try await Self.waitForShares(of: survivors + [joiner])
                for node in survivors + [joiner] { node.stop() }
                try await receiver.stop()
            }
        }
    }

    @Test("a workspace's writes sent to another node are forwarded to its owner, reads are served where asked, a dashboard session holds on every node, and a node stopped with SIGTERM hands its partitions over at once")
    func forwardingAndHandOver() async throws {
        try await PostgresCluster.with { cluster in
            try await withTemporaryDirectory { directory in
                let environment = try PostgresServeTests.passwordFile(for: cluster, in: directory)
                let nodes = try (0..<2).map { try Self.node($0, cluster: cluster, directory: directory, environment: environment) }
                try await Self.waitForShares(of: nodes)
                let created = try await nodes[0].post(
                    "/v1/workspaces", key: Self.adminKey, ["name": "Acme", "plan": "advanced", "owner_email": "ops@acme.example"])
                let key = try #require((created["api_key"] as? [String: Any])?["key"] as? String, "\(created)")
                let workspace = WorkspaceID(try #require((created["workspace"] as? [String: Any])?["id"] as? String))
                let owner = try await Self.owner(of: Partition(of: workspace), among: nodes)
                let other = 1 - owner
                // Each node learns where the others' partitions are at its next renewal, a second at most.
                try await Task.sleep(for: .milliseconds(1_500))

                let (status, forwardedTo) = try await Self.send(
                    "POST", "/v1/webhooks", to: nodes[other], key: key,
                    ["url": "http://127.0.0.1:9/hook", "events": ["contact.created"]])
                #expect(status == 201)
                #expect(forwardedTo == "http://127.0.0.1:\(nodes[owner].port)", "the write went to the owner")
                let (spoofed, spoofForwardedTo) = try await Self.send(
                    "POST", "/v1/webhooks", to: nodes[other], key: key,
                    ["url": "http://127.0.0.1:9/other", "events": ["contact.created"]], headers: ["HookLog-Forwarded": "1"])
                #expect(spoofed == 201 && spoofForwardedTo != nil, "a client cannot pass for a forwarding node")
                let (listed, readForwardedTo) = try await Self.send("GET", "/v1/webhooks", to: nodes[other], key: key)
                #expect(listed == 200 && readForwardedTo == nil, "a read is served where it is asked")
                let metrics = try await Self.text("/metrics", of: nodes[owner])
                let delivering = metrics.split(separator: "\n").first {
                    $0.hasPrefix("hooklog_fleet_partition_delivering{") && $0.contains(#"partition="\#(Partition(of: workspace).number)""#)
                }
                #expect(delivering?.hasSuffix(" 1.0") == true, "the owner's metrics show the partition it delivers: \(delivering ?? "")")

                let browser = FleetBrowser()
                _ = try await browser.get("/", port: nodes[owner].port)
                let signedIn = try await browser.post("/sign-in", port: nodes[owner].port, [("key", key)])
                #expect(signedIn.status == 303 && signedIn.location == "/webhooks")
                let page = try await browser.get("/webhooks", port: nodes[other].port)
                #expect(page.status == 200 && page.text.contains("Acme"), "signed in through one node, signed in on the other")
                let signedOut = try await browser.post("/sign-out", port: nodes[other].port)
                #expect(signedOut.status == 303)
                let after = try await browser.get("/webhooks", port: nodes[owner].port)
                #expect(after.status == 303 && after.location == "/", "signed out through one node, signed out on the other")
                try await browser.shutdown()

                let stopped = ContinuousClock.now
                nodes[owner].stop()
                try await Self.waitForShares(of: [nodes[other]])
                #expect(ContinuousClock.now - stopped < .seconds(5), "a node stopped gracefully hands over at once")
                let (ingested, servedBy) = try await Self.send(
                    "POST", "/v1/events", to: nodes[other], key: key, ["type": "contact.created", "data": [:]])
                #expect(ingested == 202 && servedBy == nil, "the new owner serves the workspace's writes itself")
                nodes[other].stop()
            }
        }
    }

    /// Sends `body` (if any) as JSON with `key` and `headers` to `node`, and returns the status and the
    /// `HookLog-Forwarded-To` header of the answer.
    static func send(
        _ method: String, _ path: String, to node: RunningServer, key: String, _ body: [String: Any]? = nil,
        headers: [String: String] = [:]
    ) async throws -> (Int, String?) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(node.port)\(path)")!)
        request.httpMethod = method
        request.setValue("Bearer \(key)", forHTTPHeaderField: "authorization")
        request.setValue("application/json", forHTTPHeaderField: "content-type")
        request.httpBody = try body.map { try JSONSerialization.data(withJSONObject: $0) }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (_, answer) = try await URLSession.shared.data(for: request)
        let response = try #require(answer as? HTTPURLResponse)
        return (response.statusCode, response.value(forHTTPHeaderField: "HookLog-Forwarded-To"))
    }

    /// The text `node` answers at `path`.
    static func text(_ path: String, of node: RunningServer) async throws -> String {
        let (data, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(node.port)\(path)")!)
        return String(decoding: data, as: UTF8.self)
    }

    /// Starts node `index` on a port of its own, which it tells the fleet as its address.
    static func node(_ index: Int, cluster: PostgresCluster, directory: String, environment: [String: String]) throws -> RunningServer {
        let port = RefusingPort()
        port.close()
        return try RunningServer(
            data: directory + "/node\(index)", adminKey: adminKey, port: port.port,
            arguments: ["--store", cluster.url, "--node-url", "http://127.0.0.1:\(port.port)", "--ingest-rate", "1000000"],
            environment: environment)
    }

    /// Waits, up to 30 seconds, until the nodes deliver every partition between them, each node some and none more
    /// than its fair share.
    static func waitForShares(of nodes: [RunningServer]) async throws {
        let share = (Partition.count + nodes.count - 1) / nodes.count
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        var counts: [Int] = []
        while ContinuousClock.now < deadline {
            counts = []
            for node in nodes {
                let health = try await node.get("/healthz", key: adminKey)
                counts.append(((health["fleet"] as? [String: Any])?["delivering"] as? [Int])?.count ?? 0)
            }
            if counts.reduce(0, +) == Partition.count, counts.allSatisfy({ $0 > 0 && $0 <= share }) { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        Issue.record("the nodes deliver \(counts) partitions, not their shares of \(Partition.count)")
    }

    /// The index of the node that delivers `partition`.
    static func owner(of partition: Partition, among nodes: [RunningServer]) async throws -> Int {
        for (index, node) in nodes.enumerated() {
            let health = try await node.get("/healthz", key: adminKey)
            if ((health["fleet"] as? [String: Any])?["delivering"] as? [Int])?.contains(partition.number) == true { return index }
        }
        throw FleetFailure(description: "no node delivers partition \(partition)")
    }

    /// Now, on the real clock the receiver stamps requests with.
    static func wallClock() -> Timestamp {
        Timestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000))
    }

    /// The `n` of each event delivered to `path`, in the order it first arrived, once `count` have arrived or a
    /// minute and a half has passed.
    static func firstArrivals(of count: Int, at path: String, on receiver: TestReceiver) async throws -> [Int] {
        let deadline = ContinuousClock.now.advanced(by: .seconds(90))
        while true {
            let numbers = firstArrivals(receiver.requests(path: path))
            if numbers.count >= count || ContinuousClock.now > deadline { return numbers }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// The `n` of each event in the order it first arrived, repeats (an attempt in flight at the kill) left out.
    static func firstArrivals(_ requests: [TestReceiver.ReceivedRequest]) -> [Int] {
        var seen = Set<String>()
        return requests.compactMap { request in
            guard let id = request.header("webhook-id"), seen.insert(id).inserted,
                  let match = String(decoding: request.body, as: UTF8.self).firstMatch(of: #/"n":(\d+)/#)
            else { return nil }
            return Int(match.1)
        }
    }
}

/// Clients that send events, each workspace's one after another, to a node picked at random among those alive, and
/// send an event again to another node when the one asked fails or answers 503.
private actor Clients {
    private var nodes: [String]
    private(set) var acknowledgedIDs: Set<String> = []
    var acknowledged: Int { acknowledgedIDs.count }

    init(nodes: [String]) {
        self.nodes = nodes
    }

    /// Stops sending to the node on `port`.
    func avoid(_ port: String) {
        nodes.removeAll { $0 == port }
    }

    private func pick() -> String {
        nodes.randomElement()!
    }

    private func acknowledge(_ id: String) {
        acknowledgedIDs.insert(id)
    }

    /// Sends `count` events with `key`, numbered from 0, ids starting with `prefix`, each once acknowledged (202).
    nonisolated func ingest(_ count: Int, key: String, prefix: String) async throws {
        for number in 0..<count {
            let id = prefix + String(number)
            let body = try JSONSerialization.data(withJSONObject: ["type": "contact.created", "id": id, "data": ["n": number]])
            var attempts = 0
            while true {
                attempts += 1
                var request = URLRequest(url: URL(string: "http://127.0.0.1:\(await pick())/v1/events")!)
                request.httpMethod = "POST"
                request.setValue("Bearer \(key)", forHTTPHeaderField: "authorization")
                request.setValue("application/json", forHTTPHeaderField: "content-type")
                request.httpBody = body
                request.timeoutInterval = 10
                if let (_, answer) = try? await URLSession.shared.data(for: request),
                   (answer as? HTTPURLResponse)?.statusCode == 202
                {
                    await acknowledge(id)
                    break
                }
                guard attempts < 100 else { throw FleetFailure(description: "event \(id) was never acknowledged") }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }
}

/// What went wrong in a fleet test, in a sentence.
private struct FleetFailure: Error, CustomStringConvertible {
    let description: String
}
