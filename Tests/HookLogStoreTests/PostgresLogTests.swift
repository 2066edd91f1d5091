import HookLogCore
@testable import HookLogStore
import HookLogTestSupport
import Logging
import PostgresNIO
import Testing

/// The log on a real PostgreSQL (``PostgresCluster``): the same history answers the same queries as in a data
/// directory, survives reopening, group-commits, is shared by a fleet's nodes (one order, fenced leases, rebalancing,
/// shared sessions), migrates from schema 1, and resumes by itself once the database answers again.
@Suite("The log on PostgreSQL", .serialized)
struct PostgresLogTests {
    private let logger = Logger(label: "hooklog.tests.postgres-log")

    @Test("a simulated history appended to PostgreSQL answers every query as the data directory does, and folds back the same")
    func answersAsTheDataDirectory() async throws {
        try await PostgresCluster.with { cluster in
            try await withTemporaryDirectory { directory in
                var simulation = Simulation(workspaces: 3, webhooks: 6, events: 400, failureRate: 0.7, seed: 11)
                simulation.batchSize = 37
                let store = try LogStore(directory: directory)
                var simulator = Simulator(simulation)
                let summary = try await simulator.run(into: store)
                let records = try store.reader.records(after: 0, limit: .max, workspace: nil)
                let middle = records[records.count / 2].record.at
                let expected = try await QueryAnswers(of: store.reader, state: summary.state, middle: middle)
                await store.close()
                #expect(records.contains { if case .webhookDisabled = $0.record.fact { true } else { false } },
                        "the history disables webhooks, and so skips deliveries")

                let log = try await Self.open(cluster)
                var appended: [LoggedRecord] = []
                for start in stride(from: 0, to: records.count, by: 50) {
                    appended += try await log.append(records[start..<min(start + 50, records.count)].map(\.record))
                }
                #expect(appended == records)
                try await QueryAnswers(of: log.queries, state: summary.state, middle: middle).expectSame(as: expected)
                await log.close()

                let reopened = try await Self.open(cluster)
                reopened.withState { state in
                    #expect(state.lastSequence == UInt64(records.count))
                    #expect(state.workspaces == summary.state.workspaces)
                    #expect(state.webhooks == summary.state.webhooks)
                    #expect(state.errorWindows == summary.state.errorWindows)
                    #expect(state.audits == summary.state.audits)
                }
                await reopened.close()
            }
        }
    }

    @Test("concurrent commands are committed in groups with gapless sequences; a repeated event id is answered, not appended")
    func groupCommits() async throws {
        try await PostgresCluster.with { cluster in
            let log = try await Self.open(cluster)
            let now = Timestamp(seconds: 1_800_000_000)
            let workspace = try await Self.createWorkspace(in: log, at: now)
            _ = try await log.execute(.createWebhook(workspace, url: "https://endpoint.example/hook", events: EventType.allCases), at: now)
            let sent = try await withThrowingTaskGroup(of: [LoggedRecord].self) { group in
                for index in 0..<200 {
                    group.addTask {
                        try await log.execute(.receiveEvent(Self.event(to: workspace, id: "evt_\(index)")), at: now)
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(sent.map(\.sequence).sorted() == Array(3...202))
            let repeated = try await log.execute(.receiveEvent(Self.event(to: workspace, id: "evt_7")), at: now)
            #expect(repeated == sent.filter { $0.sequence == repeated.first?.sequence })
            #expect(try await log.queries.lastSequence() == 202)
            let transactions = try await Self.committedTransactions(cluster)
            #expect(transactions < 150, "200 concurrent requests took \(transactions) transactions")
            await log.close()
        }
    }

    @Test("two nodes append to one log in one gap-free order, each folding the other's records and answering its repeats")
    func twoNodesShareTheLog() async throws {
        try await PostgresCluster.with { cluster in
            let now = Timestamp(seconds: 1_800_000_000)
            let first = try await Self.open(cluster, fleet: Self.quickFleet)
            let second = try await Self.open(cluster, fleet: Self.quickFleet)
            let workspace = try await Self.createWorkspace(in: first, at: now)
            _ = try await first.execute(.createWebhook(workspace, url: "https://endpoint.example/hook", events: EventType.allCases), at: now)
            let sent = try await withThrowingTaskGroup(of: [LoggedRecord].self) { group in
                for index in 0..<100 {
                    let node = index.isMultiple(of: 2) ? first : second
                    group.addTask { try await node.execute(.receiveEvent(Self.event(to: workspace, id: "evt_\(index)")), at: now) }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(sent.map(\.sequence).sorted() == Array(3...102), "one order for both nodes, without gaps")
            let repeated = try await second.execute(.receiveEvent(Self.event(to: workspace, id: "evt_0")), at: now)
            #expect(repeated == sent.filter { $0.sequence == repeated.first?.sequence }, "a repeat is answered across nodes")
            for node in [first, second] {
                try await eventually("each node folds the other's records") { node.withState(\.lastSequence) == 102 }
                node.withState { #expect($0.queues.values.reduce(0) { $0 + $1.count } == 100) }
            }
            await first.close()
            await second.close()
        }
    }

    @Test("a node whose lease was taken cannot record a delivery of that partition: the database's lease refuses it")
    func staleOwnerIsFenced() async throws {
        try await PostgresCluster.with { cluster in
            let now = Timestamp(seconds: 1_800_000_000)
            var settings = Self.quickFleet
            settings.lease = .seconds(600)
            let stale = try await Self.open(cluster, fleet: settings)
            let workspace = try await Self.createWorkspace(in: stale, at: now)
            let hook = try await stale.execute(.createWebhook(workspace, url: "https://endpoint.example/hook", events: EventType.allCases), at: now)
            guard case .webhookCreated(let created)? = hook.first?.record.fact else { throw PostgresLogError.noLog("no webhook") }
            let received = try await stale.execute(.receiveEvent(Self.event(to: workspace, id: "evt_1")), at: now)
            guard case .eventReceived(let event)? = received.first?.record.fact, let delivery = event.deliveries.first
            else { throw PostgresLogError.noLog("no delivery") }
            let partition = Partition(of: workspace)
            #expect(stale.fleet?.delivering.contains(partition) == true, "alone, the node holds every partition")

            let taker = try await Self.open(cluster, fleet: settings)
            try await Self.sql(cluster, """
                UPDATE hooklog_partitions SET owner = \(try #require(taker.fleet?.node)), epoch = epoch + 1,
                lease_until = clock_timestamp() + interval '10 minutes' WHERE partition = \(Int16(partition.number))
                """)
            let report = AttemptReport(
                webhookID: created.webhookID, deliveryID: delivery.deliveryID, startedAt: now, durationMilliseconds: 12,
                outcome: .status(200))
            await #expect {
                _ = try await stale.execute(.recordAttempt(report), at: now)
            } throws: { error in
                (error as? DecisionError)?.code == .notOwner && "\(error)".contains("partition \(partition)")
            }
            let ingested = try await stale.execute(.receiveEvent(Self.event(to: workspace, id: "evt_2")), at: now)
            #expect(ingested.count == 1, "what any node may append, the stale owner still appends")
            let recorded = try await taker.execute(.recordAttempt(report), at: now)
            #expect(recorded.contains { if case .attemptSucceeded = $0.record.fact { true } else { false } },
                    "the owner records it, after the stale node's event, which it folded first")
            #expect(try await taker.queries.records(after: 0, limit: 10).map(\.sequence) == [1, 2, 3, 4, 5])
            await stale.close()
            await taker.close()
        }
    }

    @Test("a node that joins takes its fair share as the other hands it over; one that stops hands its partitions back")
    func partitionsRebalance() async throws {
        try await PostgresCluster.with { cluster in
            let first = try await Self.open(cluster, fleet: Self.quickFleet)
            #expect(first.fleet?.delivering.count == Partition.count)
            let second = try await Self.open(cluster, fleet: Self.quickFleet)
            try await eventually("the two nodes deliver half each") {
                first.fleet?.delivering.count == 32 && second.fleet?.delivering.count == 32
            }
            let (one, two) = (Set(try #require(first.fleet?.delivering)), Set(try #require(second.fleet?.delivering)))
            #expect(one.isDisjoint(with: two), "a partition has one owner at a time")
            await second.close()
            try await eventually("the node left takes every partition back") { first.fleet?.delivering.count == Partition.count }
            await first.close()
        }
    }

    @Test("a node that cannot renew its leases stops delivering before they can end, and takes its partitions again once the database answers")
    func stopsDeliveringBeforeTheLeaseEnds() async throws {
        try await PostgresCluster.with { cluster in
            var settings = Self.quickFleet
            settings.lease = .seconds(3)
            settings.sendingMargin = .seconds(1)
            let log = try await Self.open(cluster, fleet: settings)
            #expect(log.deliveringPartitions?.count == Partition.count)
            try cluster.halt()
            let halted = ContinuousClock.now
            try await eventually("the node stops delivering") { log.deliveringPartitions?.isEmpty == true }
            let stoppedAfter = ContinuousClock.now - halted
            // The last renewal started at most one renewal before the database went away, so its leases last until
            // 2.8 s after that at the earliest; the node must stop a margin before, at 2 s at the latest.
            #expect(stoppedAfter < .milliseconds(2_800), "stopped \(stoppedAfter) after the database went, before the lease could end")
            try cluster.restart()
            try await eventually("the node delivers again") { log.deliveringPartitions?.count == Partition.count }
            await log.close()
        }
    }

    @Test("a dashboard session opened through one node is known to the other, ends on both when closed, and keeps the limits")
    func sessionsAreFleetWide() async throws {
        try await PostgresCluster.with { cluster in
            let (first, second) = (try await Self.open(cluster, fleet: Self.quickFleet), try await Self.open(cluster, fleet: Self.quickFleet))
            let (one, two) = (try #require(first.sharedSessions), try #require(second.sharedSessions))
            #expect(try await one.formKey() == two.formKey(), "one CSRF key for the fleet's forms")
            let now = Timestamp(seconds: 1_800_000_000)
            let idle = Duration.seconds(3600)
            func session(_ token: UInt8, key: UInt8, at time: Timestamp) -> SharedSession {
                SharedSession(
                    tokenHash: [token], workspaceID: WorkspaceID("ws_acme"), keyHash: [key], openedAt: time,
                    expiresAt: time.advanced(by: .seconds(86_400)), lastUsedAt: time)
            }
            try await one.open(session(1, key: 7, at: now), perKey: 2, total: 10, idleTimeout: idle)
            let seen = try await two.session(tokenHash: [1], at: now.advanced(by: .seconds(5)), idleTimeout: idle)
            #expect(seen == session(1, key: 7, at: now), "opened through one node, known to the other")
            try await two.close(tokenHash: [1])
            #expect(try await one.session(tokenHash: [1], at: now, idleTimeout: idle) == nil, "closed through the other, ended on both")

            for token: UInt8 in 2...4 {
                try await one.open(session(token, key: 8, at: now.advanced(by: .seconds(Int64(token)))), perKey: 2, total: 10, idleTimeout: idle)
            }
            #expect(try await two.session(tokenHash: [2], at: now, idleTimeout: idle) == nil, "a key's oldest session ends beyond its limit")
            #expect(try await two.session(tokenHash: [4], at: now.advanced(by: .seconds(10)), idleTimeout: idle) != nil)
            #expect(try await two.session(tokenHash: [3], at: now.advanced(by: .seconds(3_700)), idleTimeout: idle) == nil,
                    "a session unused for longer than the idle timeout ends")
            for token: UInt8 in 10...12 {
                try await two.open(session(token, key: token, at: now.advanced(by: .seconds(Int64(token)))), perKey: 2, total: 2, idleTimeout: idle)
            }
            #expect(try await one.count() == 2, "at most the total, the least recently used ending first")
            await first.close()
            await second.close()
        }
    }

    @Test(
        "a log of schema version 1 (the single-writer build) or 2 (before compaction) is migrated on opening, its records kept, and an append of the older build is refused",
        arguments: [Int32(1), 2])
    func migratesOlderSchemas(version: Int32) async throws {
        try await PostgresCluster.with { cluster in
            let steps = version == 1 ? PostgresSchema.versionOne : PostgresSchema.versionOne + PostgresSchema.versionTwo
            for statement in steps { try await Self.sql(cluster, PostgresQuery(unsafeSQL: statement)) }
            try await Self.sql(cluster, "CREATE TABLE hooklog_schema (version integer NOT NULL)")
            try await Self.sql(cluster, "INSERT INTO hooklog_schema (version) VALUES (\(version))")
            let now = Timestamp(seconds: 1_800_000_000)
            let record = Record(at: now, .workspaceCreated(WorkspaceCreated(
                workspaceID: WorkspaceID("ws_old"), name: "Old", plan: .advanced, ownerEmail: "ops@old.example")))
            let bytes = ByteBuffer(bytes: RecordCodec.encode(record))
            try await Self.sql(cluster, "INSERT INTO hooklog_records (sequence, at, record) VALUES (1, \(now.milliseconds), \(bytes))")
            try await Self.sql(cluster, "UPDATE hooklog_head SET sequence = 1")

            let log = try await Self.open(cluster, fleet: Self.quickFleet)
            #expect(log.withState { $0.workspaces[WorkspaceID("ws_old")]?.name } == "Old")
            let created = try await log.execute(.createWorkspace(name: "New", plan: .advanced, ownerEmail: "ops@new.example"), at: now)
            #expect(created.map(\.sequence) == [2])
            #expect(log.fleet?.held.count == Partition.count)
            await #expect(throws: (any Error).self, "an older server still running cannot move the head") {
                try await Self.sql(cluster, "UPDATE hooklog_head SET sequence = 3 WHERE sequence = 2 RETURNING sequence")
            }
            await log.close()
        }
    }

    @Test("while the database is down a commit is refused as unavailable; once it is back, writes resume by themselves")
    func resumesAfterTheDatabaseReturns() async throws {
        try await PostgresCluster.with { cluster in
            let now = Timestamp(seconds: 1_800_000_000)
            let log = try await Self.open(cluster)
            let workspace = try await Self.createWorkspace(in: log, at: now)
            try cluster.halt()
            await #expect {
                _ = try await log.execute(.receiveEvent(Self.event(to: workspace, id: "evt_down")), at: now)
            } throws: { error in
                guard case StoreError.unavailable = error else { return false }
                return true
            }
            #expect(log.writerFailure == nil, "a database that went away is not a failed writer")
            try cluster.restart()
            let deadline = ContinuousClock.now.advanced(by: .seconds(30))
            var received: [LoggedRecord] = []
            while received.isEmpty, ContinuousClock.now < deadline {
                do {
                    received = try await log.execute(.receiveEvent(Self.event(to: workspace, id: "evt_up")), at: now)
                } catch StoreError.unavailable {
                    try await Task.sleep(for: .milliseconds(200))
                }
            }
            #expect(received.first?.sequence == 2)
            #expect(log.withState(\.lastSequence) == 2)
            await log.close()
        }
    }

    @Test("a wrong password is one sentence at opening that names the database, not a retrying pool")
    func wrongPasswordIsRefused() async throws {
        try await PostgresCluster.with { cluster in
            let location = try PostgresLocation(parsing: cluster.url)
            await #expect {
                _ = try await PostgresLog.open(location, password: "not-the-password", logger: logger)
            } throws: { error in
                "\(error)".contains("password authentication failed") && "\(error)".contains(location.address)
            }
        }
    }

    /// Opens the cluster's log, as a node of a fleet when `fleet` is given.
    static func open(_ cluster: PostgresCluster, fleet: FleetSettings? = nil) async throws -> PostgresLog {
        var options = PostgresLog.Options()
        options.fleet = fleet
        return try await PostgresLog.open(
            try PostgresLocation(parsing: cluster.url), password: cluster.password, options: options,
            logger: Logger(label: "hooklog.tests.postgres-log"))
    }

    /// A fleet that renews five times a second, with a lease of two seconds: what takes seconds on a server takes
    /// fractions of one here.
    static var quickFleet: FleetSettings {
        var settings = FleetSettings(url: nil)
        settings.lease = .seconds(2)
        settings.renewal = .milliseconds(200)
        settings.sendingMargin = .milliseconds(800)
        return settings
    }

    /// Runs one SQL statement on the cluster's database, as an operator would in psql.
    static func sql(_ cluster: PostgresCluster, _ statement: PostgresQuery) async throws {
        let logger = Logger(label: "hooklog.tests.postgres-log")
        let connection = try await PostgresConnection.connect(
            configuration: try PostgresLocation(parsing: cluster.url).connectionConfiguration(password: cluster.password),
            id: 1, logger: logger)
        do {
            try await connection.query(statement, logger: logger)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }

    /// Waits, up to ten seconds, until `condition` holds.
    private func eventually(_ what: String, _ condition: () throws -> Bool) async throws {
        let deadline = ContinuousClock.now.advanced(by: .seconds(10))
        while try !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("not within ten seconds: \(what)")
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    static func createWorkspace(in log: PostgresLog, at now: Timestamp) async throws -> WorkspaceID {
        let records = try await log.execute(.createWorkspace(name: "Acme", plan: .advanced, ownerEmail: "ops@acme.example"), at: now)
        guard case .workspaceCreated(let fact)? = records.first?.record.fact else {
            throw PostgresLogError.unsupported("a workspace created without its record")
        }
        return fact.workspaceID
    }

    static func event(to workspace: WorkspaceID, id: String) -> IncomingEvent {
        IncomingEvent(workspaceID: workspace, eventID: EventID(id), type: .contactCreated, data: Array(#"{"id":"c_1"}"#.utf8))
    }

    /// How many transactions wrote the log's records: each row carries the id of the transaction that inserted it.
    private static func committedTransactions(_ cluster: PostgresCluster) async throws -> Int {
        let logger = Logger(label: "hooklog.tests.postgres-log")
        let location = try PostgresLocation(parsing: cluster.url)
        let connection = try await PostgresConnection.connect(
            configuration: try location.connectionConfiguration(password: cluster.password), id: 1, logger: logger)
        var count = 0
        let rows = try await connection.query("SELECT count(DISTINCT xmin::text) FROM hooklog_records", logger: logger)
        for try await transactions in rows.decode(Int64.self) { count = Int(transactions) }
        try await connection.close()
        return count
    }
}
