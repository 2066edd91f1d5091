import HookLogCore
import Logging
import PostgresNIO
import Synchronization

/// This node's part of a fleet on one PostgreSQL log (docs/postgres.md): the leases it holds on the 64 partitions,
/// kept in `hooklog_partitions` on the database's clock.
///
/// Every ``FleetSettings/renewal`` it says it is alive (`hooklog_nodes`), renews the leases it holds, and moves towards its
/// fair share, the partitions divided evenly between the nodes alive: it takes partitions no node holds or whose lease
/// ran out (moving their epoch on), and hands over those beyond its share. A node stops delivering a partition it
/// hands over at once, and lets go of it in the database only once an attempt it started could no longer be under
/// way. It stops delivering every partition when its leases could end before an attempt it starts would, which a
/// node that cannot reach the database comes to. Closing it lets go of every lease, for the others to take at once.
///
/// The fence (``confirmed(on:)``) is read in the append's own transaction, with the lease rows locked until it
/// commits: a node whose lease ran out cannot record a delivery's outcome, and a node taking a partition over waits
/// for the append under way, whose records its own next append folds first.
final class PartitionLeases: Sendable {
    /// This node's name in the fleet: new at each start.
    let node: String
    private let settings: FleetSettings
    private let client: PostgresClient
    private let logger: Logger
    private let held = Mutex(Held())
    /// Each change of the partitions this node delivers.
    let changes = Broadcast<Set<Partition>>()

    /// What this node holds.
    private struct Held {
        /// The partitions it holds, each with the epoch it took it at.
        var epochs: [Partition: Int64] = [:]
        /// When the leases it renewed last end, on this node's clock: from before it asked.
        var validUntil: ContinuousClock.Instant?
        /// The partitions it hands over, each with when it may let go of it.
        var handingOver: [Partition: ContinuousClock.Instant] = [:]
        /// The partitions it delivers now.
        var delivering: Set<Partition> = []
        /// How many nodes were alive at the last renewal.
        var nodes = 1
        /// The address of the node that held each partition's live lease at the last renewal, for the partitions
        /// other nodes that told their address hold.
        var addresses: [Partition: String] = [:]
    }

    /// A node of a fleet on `client`'s database; it holds nothing until it runs.
    init(client: PostgresClient, settings: FleetSettings, logger: Logger) {
        self.client = client
        self.settings = settings
        self.logger = logger
        var random = SystemRandomNumberGenerator()
        node = "node_" + String(random.next(), radix: 36)
    }

    /// The partitions this node delivers now: those it holds whose leases outlast an attempt started now, less those
    /// it hands over. Read against the clock, so that a node whose renewals stalled (a long pause, a database that
    /// froze) delivers nothing once its leases could end before an attempt, whether a renewal has ended since or not.
    var delivering: Set<Partition> {
        let now = ContinuousClock.now
        return held.withLock { held in Self.lasting(held, at: now, margin: settings.sendingMargin) ? held.delivering : [] }
    }

    /// Whether the leases `held` renewed last outlast an attempt started at `now`, `margin` before they end.
    private static func lasting(_ held: Held, at now: ContinuousClock.Instant, margin: Duration) -> Bool {
        held.validUntil.map { now < $0.advanced(by: .zero - margin) } ?? false
    }

    /// What `/healthz` and `/metrics` show of this node's part in the fleet.
    var standing: FleetStanding {
        held.withLock { held in
            FleetStanding(
                node: node, url: settings.url, nodes: held.nodes, held: held.epochs,
                delivering: held.delivering.sorted())
        }
    }

    /// The address of the node that holds `partition`, when another node that told its address does.
    func forwardingAddress(for partition: Partition) -> String? {
        held.withLock { $0.addresses[partition] }
    }

    /// The partitions whose lease the database confirms this node holds, read in the transaction on `connection`
    /// and locked until it ends: what an append may record deliveries' outcomes for.
    func confirmed(on connection: PostgresConnection) async throws -> Set<Partition> {
        let rows = try await connection.query(
            """
            SELECT partition FROM hooklog_partitions WHERE owner = \(node) AND lease_until > clock_timestamp()
            ORDER BY partition FOR SHARE
            """, logger: logger)
        var confirmed = Set<Partition>()
        for try await number in rows.decode(Int16.self) {
            if let partition = Partition(number: Int(number)) { confirmed.insert(partition) }
        }
        return confirmed
    }

    /// Renews and rebalances every ``FleetSettings/renewal`` until the task is cancelled; a renewal that fails is logged,
    /// and the node stops delivering once its leases could end before an attempt.
    func run() async {
        var failing = false
        while !Task.isCancelled {
            do {
                try await renew()
                if failing { logger.notice("this node renews its partitions' leases again") }
                failing = false
            } catch {
                if !failing { logger.error("this node cannot renew its partitions' leases: \(error)") }
                failing = true
                updateDelivering()
            }
            try? await Task.sleep(for: settings.renewal)
        }
    }

    /// One renewal: says this node is alive, renews what it holds, lets go of what it handed over, takes its share.
    func renew() async throws {
        let started = ContinuousClock.now
        let (lease, renewal, limit) = (settings.lease.wholeMilliseconds, settings.renewal.wholeMilliseconds, settings.renewal * 3)
        let releasing = held.withLock { held in held.handingOver.filter { $0.value <= started }.map(\.key.number) }
        let (epochs, nodes, addresses) = try await PostgresDeadline(limit: limit).run(on: client) { [node, settings, logger] connection in
            try await connection.withTransaction(logger: logger) { connection in
                try await connection.query(
                    """
                    INSERT INTO hooklog_nodes (node, url, seen_at) VALUES (\(node), \(settings.url), clock_timestamp())
                    ON CONFLICT (node) DO UPDATE SET url = excluded.url, seen_at = excluded.seen_at
                    """, logger: logger)
                try await connection.query(
                    "DELETE FROM hooklog_nodes WHERE seen_at < clock_timestamp() - interval '1 day'", logger: logger)
                // This node's rows first, in the order an append's fence locks them, so that the two never deadlock.
                try await connection.query(
                    "SELECT partition FROM hooklog_partitions WHERE owner = \(node) ORDER BY partition FOR UPDATE",
                    logger: logger)
                try await connection.query(
                    """
                    UPDATE hooklog_partitions SET owner = NULL, lease_until = '-infinity'
                    WHERE owner = \(node) AND partition = ANY(\(releasing.map(Int16.init))::smallint[])
                    """, logger: logger)
                var epochs = try await Self.partitions(connection.query(
                    """
                    UPDATE hooklog_partitions SET lease_until = clock_timestamp() + \(lease) * interval '1 millisecond'
                    WHERE owner = \(node) AND lease_until > clock_timestamp() RETURNING partition, epoch
                    """, logger: logger))
                var nodes = 1
                for try await count in try await connection.query(
                    "SELECT count(*) FROM hooklog_nodes WHERE seen_at > clock_timestamp() - \(lease) * interval '1 millisecond'",
                    logger: logger
                ).decode(Int64.self) {
                    nodes = max(1, Int(count))
                }
                let wanted = Self.share(of: nodes) - epochs.count
                if wanted > 0 {
                    epochs.merge(try await Self.partitions(connection.query(
                        """
                        UPDATE hooklog_partitions SET owner = \(node), epoch = epoch + 1,
                            lease_until = clock_timestamp() + \(lease) * interval '1 millisecond'
                        WHERE partition IN (
                            SELECT partition FROM hooklog_partitions WHERE owner IS NULL OR lease_until <= clock_timestamp()
                            ORDER BY partition LIMIT \(Int64(wanted)) FOR UPDATE SKIP LOCKED)
                        RETURNING partition, epoch
                        """, logger: logger))) { $1 }
                }
                // Only nodes that renewed lately: a node killed stops being forwarded to within three renewals,
                // and its partitions' writes are served where they land until another node takes them.
                var addresses: [Partition: String] = [:]
                for try await (number, url) in try await connection.query(
                    """
                    SELECT p.partition, n.url FROM hooklog_partitions p JOIN hooklog_nodes n ON n.node = p.owner
                    WHERE p.owner <> \(node) AND p.lease_until > clock_timestamp() AND n.url IS NOT NULL
                    AND n.seen_at > clock_timestamp() - \(renewal) * interval '1 millisecond' * 3
                    """, logger: logger
                ).decode((Int16, String).self) {
                    if let partition = Partition(number: Int(number)) { addresses[partition] = url }
                }
                return (epochs, nodes, addresses)
            }
        }
        held.withLock { held in
            let taken = epochs.keys.filter { held.epochs[$0] != epochs[$0] }
            if !taken.isEmpty { logger.notice("this node takes partitions \(taken.sorted())") }
            held.epochs = epochs
            held.nodes = nodes
            held.addresses = addresses
            held.validUntil = started.advanced(by: settings.lease)
            held.handingOver = held.handingOver.filter { epochs[$0.key] != nil }
            let beyond = epochs.count - Self.share(of: nodes) - held.handingOver.count
            if beyond > 0 {
                let handed = epochs.keys.filter { held.handingOver[$0] == nil }.sorted().suffix(beyond)
                logger.notice("this node hands partitions \(Array(handed)) over to the fleet's \(nodes) nodes")
                for partition in handed { held.handingOver[partition] = started.advanced(by: settings.sendingMargin) }
            }
        }
        updateDelivering()
    }

    /// Lets go of every lease this node holds and says it left, for the other nodes to take its partitions at once:
    /// once its deliveries have ended.
    func release() async {
        held.withLock { $0.epochs = [:] }
        updateDelivering()
        do {
            try await PostgresDeadline(limit: settings.renewal * 3).run(on: client) { [node, logger] connection in
                try await connection.withTransaction(logger: logger) { connection in
                    try await connection.query(
                        "UPDATE hooklog_partitions SET owner = NULL, lease_until = '-infinity' WHERE owner = \(node)",
                        logger: logger)
                    try await connection.query("DELETE FROM hooklog_nodes WHERE node = \(node)", logger: logger)
                }
            }
        } catch {
            logger.warning("this node could not let go of its leases; they end by themselves: \(error)")
        }
    }

    /// Works out what this node delivers now, and tells ``changes`` when it changed.
    private func updateDelivering() {
        let now = ContinuousClock.now
        let changed = held.withLock { held -> Set<Partition>? in
            let lasting = Self.lasting(held, at: now, margin: settings.sendingMargin)
            let delivering = lasting ? Set(held.epochs.keys.filter { held.handingOver[$0] == nil }) : []
            guard delivering != held.delivering else { return nil }
            held.delivering = delivering
            return delivering
        }
        if let changed { changes.send(changed) }
    }

    /// A node's fair share of the partitions when `nodes` are alive.
    static func share(of nodes: Int) -> Int {
        (Partition.count + nodes - 1) / nodes
    }

    private static func partitions(_ rows: PostgresRowSequence) async throws -> [Partition: Int64] {
        var epochs: [Partition: Int64] = [:]
        for try await (number, epoch) in rows.decode((Int16, Int64).self) {
            if let partition = Partition(number: Int(number)) { epochs[partition] = epoch }
        }
        return epochs
    }
}
