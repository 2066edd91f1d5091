import HookLogCore
@testable import HookLogStore
import HookLogTestSupport
import Logging
import PostgresNIO
import Testing

/// The log on a real PostgreSQL (``PostgresCluster``): the same history answers the same queries as in a data
/// directory, survives reopening, group-commits, refuses a writer another took over from, and resumes by itself once
/// the database answers again.
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

                let log = try await open(cluster)
                var appended: [LoggedRecord] = []
                for start in stride(from: 0, to: records.count, by: 50) {
                    appended += try await log.append(records[start..<min(start + 50, records.count)].map(\.record))
                }
                #expect(appended == records)
                try await QueryAnswers(of: log.queries, state: summary.state, middle: middle).expectSame(as: expected)
                await log.close()

                let reopened = try await open(cluster)
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
            let log = try await open(cluster)
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

    @Test("a log opened a second time takes over: the first writer's appends are refused by the database, the second's go on")
    func secondWriterFencesTheFirst() async throws {
        try await PostgresCluster.with { cluster in
            let now = Timestamp(seconds: 1_800_000_000)
            let first = try await open(cluster)
            let workspace = try await Self.createWorkspace(in: first, at: now)
            let second = try await open(cluster)

            await #expect(throws: StoreError.self) {
                _ = try await first.execute(.receiveEvent(Self.event(to: workspace, id: "evt_stale")), at: now)
            }
            #expect(first.writerFailure != nil, "the fenced writer says so, as /healthz will")
            let received = try await second.execute(.receiveEvent(Self.event(to: workspace, id: "evt_fresh")), at: now)
            #expect(received.map(\.sequence) == [2])
            #expect(try await second.queries.records(after: 0, limit: 10).map(\.sequence) == [1, 2])
            await first.close()
            await second.close()
        }
    }

    @Test("while the database is down a commit is refused as unavailable; once it is back, writes resume by themselves")
    func resumesAfterTheDatabaseReturns() async throws {
        try await PostgresCluster.with { cluster in
            let now = Timestamp(seconds: 1_800_000_000)
            let log = try await open(cluster)
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

    private func open(_ cluster: PostgresCluster) async throws -> PostgresLog {
        try await PostgresLog.open(try PostgresLocation(parsing: cluster.url), password: cluster.password, logger: logger)
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
