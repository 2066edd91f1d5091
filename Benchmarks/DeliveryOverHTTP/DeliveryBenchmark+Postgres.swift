import AsyncHTTPClient
import Foundation
import HookLogTestSupport

extension DeliveryBenchmark {
    /// What a burst on a fleet came to: the burst, and the CPU time each node spent on it.
    struct NodesBurst {
        let outcome: Burst.Outcome
        let cpuSeconds: [Double]

        /// Each node's CPU time per thousand deliveries, in milliseconds, for a figure's note.
        var costNote: String {
            let perThousand = cpuSeconds.map { Int(($0 * 1_000_000 / Double(max(outcome.delivered, 1))).rounded()) }
            return "CPU per 1,000 deliveries, node by node: \(perThousand.map { "\($0) ms" }.joined(separator: ", "))"
        }
    }

    /// The burst again on PostgreSQL (`--store`), a throwaway cluster that syncs its commits: one node beside the
    /// burst on LMDB, then fleets of two and three nodes beside the one node, the batches posted to the nodes in turn
    /// (each forwards a workspace's events to the node that delivers it). The ratios, with no target: on this
    /// machine's two cores more nodes share the same CPU, so the fleet's figures show what each node costs.
    func postgresFigures(
        beside onLMDB: Burst.Outcome, burstName: String, endpoints: LoopbackEndpoints, client: HTTPClient
    ) async throws -> [Figure] {
        var figures: [Figure] = []
        var single: NodesBurst?
        for count in 1...3 {
            let run = try await burstOnNodes(count, endpoints: endpoints, client: client)
            Self.say("burst on a fleet of \(count) on PostgreSQL: \(Int(run.outcome.deliveredPerSecond))/s "
                + "(\(run.outcome.delivered) in \(run.outcome.seconds) s); \(run.costNote)")
            let timedOut = run.outcome.complete ? "" : "TIMED OUT: \(run.outcome.delivered) of \(options.events) delivered; "
            if let single {
                figures.append(Figure(
                    name: burstName + ", fleet of \(count) nodes on PostgreSQL", value: run.outcome.deliveredPerSecond,
                    unit: "deliveries/s", baseline: burstName + ", log on PostgreSQL",
                    baselineValue: single.outcome.deliveredPerSecond,
                    note: timedOut + "\(count) hooklog serve nodes on one throwaway cluster, batches posted to each in turn; "
                        + "\(run.costNote) (one node: \(single.costNote.split(separator: ": ").last ?? "")); on 2 cores "
                        + "the nodes share the same CPU, so more nodes cannot deliver more: the ratio, no target"))
            } else {
                single = run
                figures.append(Figure(
                    name: burstName + ", log on PostgreSQL", value: run.outcome.deliveredPerSecond, unit: "deliveries/s",
                    baseline: burstName, baselineValue: onLMDB.deliveredPerSecond,
                    note: timedOut + "hooklog serve --store on a throwaway PostgreSQL cluster on the same machine, "
                        + "fsync on; \(run.costNote); the ratio to the burst on LMDB, no target"))
            }
        }
        return figures
    }

    /// The burst on `count` nodes of a fleet on a new cluster, once they have divided the partitions between them.
    private func burstOnNodes(_ count: Int, endpoints: LoopbackEndpoints, client: HTTPClient) async throws -> NodesBurst {
        let cluster = try PostgresCluster.start(durable: true)
        defer { cluster.stop() }
        let passwordFile = cluster.directory + "/pgpass"
        try "127.0.0.1:\(cluster.port):\(cluster.database):\(cluster.user):\(cluster.password)\n"
            .write(toFile: passwordFile, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: passwordFile)
        let adminKey = ServerProcess.newAdminKey()
        var nodes: [ServerProcess] = []
        do {
            for index in 0..<count {
                nodes.append(try await ServerProcess(
                    binary: options.hooklog, concurrency: options.concurrency, arguments: ["--store", cluster.url],
                    environment: ["PGPASSFILE": passwordFile],
                    outputPath: options.results + "/serve-burst-postgres-\(count)-\(index).log", client: client,
                    adminKey: adminKey, nodeURL: true))
            }
            try await Self.waitForShares(of: nodes, client: client)
            let apis = nodes.map { HookLogAPI(client: client, baseURL: $0.baseURL) }
            let fleet = try await Fleet.create(
                answering: options.webhooks, silent: 0, endpoints: endpoints, api: apis[0], adminKey: adminKey)
            let before = nodes.map(\.cpuSeconds)
            let outcome = try await Burst(events: options.events, timeout: .seconds(options.timeout))
                .run(fleet: fleet, apis: apis, endpoints: endpoints)
            let spent = zip(nodes.map(\.cpuSeconds), before).map { $0 - $1 }
            try await Self.stop(nodes)
            return NodesBurst(outcome: outcome, cpuSeconds: spent)
        } catch {
            try? await Self.stop(nodes)
            throw error
        }
    }

    private static func stop(_ nodes: [ServerProcess]) async throws {
        for node in nodes {
            try await node.stop()
            node.removeData()
        }
    }

    /// Waits, up to 30 s, until the nodes deliver all 64 partitions between them, each some.
    private static func waitForShares(of nodes: [ServerProcess], client: HTTPClient) async throws {
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        while ContinuousClock.now < deadline {
            var counts: [Int] = []
            for node in nodes {
                let response = try await client.execute(HTTPClientRequest(url: node.baseURL + "/healthz"), timeout: .seconds(5))
                let body = try await response.body.collect(upTo: 1 << 20)
                let health = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]
                counts.append(((health?["fleet"] as? [String: Any])?["delivering"] as? [Int])?.count ?? 0)
            }
            if counts.reduce(0, +) == 64, counts.allSatisfy({ $0 > 0 }) { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw ServerProcess.DidNotStart(description: "the fleet's \(nodes.count) nodes did not divide the partitions within 30 s")
    }
}
