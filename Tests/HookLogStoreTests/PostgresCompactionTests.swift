import HookLogCore
@testable import HookLogStore
import HookLogTestSupport
import Logging
import PostgresNIO
import Testing

/// Compaction of a log in a real PostgreSQL (docs/rules.md §3.7): it removes exactly what the data directory's removes
/// from the same history, the state and every query stay what they were, opening folds from the base, and a node
/// that ingests and sends events again while another compacts loses nothing.
@Suite("Compacting the log on PostgreSQL", .serialized)
struct PostgresCompactionTests {
    /// A failure-heavy history, kept whole, with every queue in RAM as a PostgreSQL writer keeps them, so that both
    /// logs decide the same `HistoryCompacted`.
    private static func history(in directory: String) async throws -> (store: LogStore, records: [LoggedRecord], end: Timestamp) {
        var options = LogStore.Options()
        options.queueWindow = nil
        let store = try LogStore(directory: directory, options: options)
        var simulation = Simulation(workspaces: 3, webhooks: 6, events: 600, failureRate: 0.4, seed: 5)
        simulation.batchSize = 41
        var simulator = Simulator(simulation)
        let summary = try await simulator.run(into: store)
        return (store, try store.reader.records(after: 0, limit: .max, workspace: nil), summary.virtualEnd)
    }

    /// Appends `records` to `log`, 500 to a commit.
    private static func append(_ records: ArraySlice<LoggedRecord>, to log: PostgresLog) async throws {
        for start in stride(from: records.startIndex, to: records.endIndex, by: 500) {
            _ = try await log.append(records[start..<min(start + 500, records.endIndex)].map(\.record))
        }
    }

    @Test("the same history compacts as in a data directory: the same records go, queries answer the same, and reopening folds from the base")
    func compactsAsTheDataDirectory() async throws {
        try await PostgresCluster.with { cluster in
            try await withTemporaryDirectory { directory in
                let (store, records, end) = try await Self.history(in: directory)
                let log = try await PostgresLogTests.open(cluster)
                try await Self.append(records[...], to: log)
                #expect(try await log.queries.historyStart() == nil)

                for cutoff in [records[records.count / 3].record.at, records[records.count * 2 / 3].record.at] {
                    let now = end.adding(.seconds(1))
                    let expected = try #require(try await store.compact(before: cutoff, at: now, spread: .zero))
                    let report = try #require(try await log.compact(before: cutoff, at: now, spread: .zero))
                    #expect(report == expected)
                    #expect(report.removed > 0)
                    let held = try store.reader.records(after: 0, limit: .max, workspace: nil)
                    #expect(try await log.queries.records(after: 0, limit: .max, workspace: nil) == held, "the same records stay")
                    #expect(try await log.queries.historyStart() == HistoryStart(at: cutoff, through: report.through))
                    #expect(try await log.compact(before: cutoff, at: now, spread: .zero) == nil, "nothing older after the cut")
                }
                let state = try Rebuild.replay(store.reader, policy: .standard, queueWindow: nil).state
                try await QueryAnswers(of: log.queries, state: state, middle: records[records.count * 3 / 4].record.at)
                    .expectSame(as: QueryAnswers(of: store.reader, state: state, middle: records[records.count * 3 / 4].record.at))
                #expect(try await log.postgresQueries.verify(policy: .standard).differences == [])
                #expect(log.withState { state.differences(from: $0) } == [], "the live state is the data directory's")

                let remaining = Set(try await log.queries.records(after: 0, limit: .max, workspace: nil).map(\.sequence))
                let gone = try #require(records.lazy.compactMap { entry -> (UInt64, EventReceived)? in
                    guard case .eventReceived(let fact) = entry.record.fact, !fact.deliveries.isEmpty,
                          !remaining.contains(entry.sequence)
                    else { return nil }
                    return (entry.sequence, fact)
                }.first)
                let delivery = try #require(gone.1.deliveries.first)
                let again = try await log.execute(
                    [.redeliver(delivery.webhookID, original: delivery.deliveryID, eventID: gone.1.eventID, eventType: gone.1.type,
                                eventSequence: gone.0)], at: end)
                guard case .failure(let refusal) = again[0] else {
                    Issue.record("an event compaction removed was sent again")
                    return
                }
                #expect(refusal.code == .notFound)
                await log.close()
                await store.close()

                let reopened = try await PostgresLogTests.open(cluster)
                #expect(reopened.withState { state.differences(from: $0) } == [], "opening folds the records after the base onto it")
                await reopened.close()
            }
        }
    }

    @Test("while one node compacts, another ingests and sends old events again: every event stays that was acknowledged or sent again, and the log verifies")
    func compactsWhileAnotherNodeWrites() async throws {
        try await PostgresCluster.with { cluster in
            try await withTemporaryDirectory { directory in
                let (store, records, end) = try await Self.history(in: directory)
                await store.close()
                let compacting = try await PostgresLogTests.open(cluster)
                let writing = try await PostgresLogTests.open(cluster)
                try await Self.append(records[...], to: compacting)
                let workspace = try #require(compacting.withState { $0.workspaces.keys.sorted().first })
                let sentAgain = Self.redeliveries(of: records)
                let cutoff = records[records.count * 3 / 4].record.at
                async let compaction = compacting.compact(before: cutoff, at: end, spread: .milliseconds(300))
                var acknowledged: [LoggedRecord] = []
                for (index, command) in sentAgain.enumerated() {
                    let incoming = IncomingEvent(
                        workspaceID: workspace, eventID: EventID("evt_new_\(index)"), type: .contactCreated,
                        data: Array(#"{"id":"c_1"}"#.utf8))
                    for result in try await writing.execute([.receiveEvent(incoming), command], at: end) {
                        if case .success(let entries) = result { acknowledged += entries }
                    }
                }
                let report = try #require(try await compaction)
                #expect(report.removed > 0)

                for entry in acknowledged {
                    #expect(try await writing.queries.record(at: entry.sequence) == entry, "record \(entry.sequence) stays")
                    if case .redeliveryRequested(let fact) = entry.record.fact {
                        #expect(try await writing.queries.record(at: fact.delivery.eventSequence) != nil,
                                "the event a redelivery sends again stays")
                    }
                }
                #expect(acknowledged.contains { if case .redeliveryRequested = $0.record.fact { true } else { false } })
                #expect(try await writing.postgresQueries.verify(policy: .standard).differences == [])
                try await compacting.catchUp()
                let live = writing.withState { $0 }
                #expect(compacting.withState { live.differences(from: $0) } == [])
                await compacting.close()
                await writing.close()
                let reopened = try await PostgresLogTests.open(cluster)
                #expect(reopened.withState { live.differences(from: $0) } == [])
                await reopened.close()
            }
        }
    }

    @Test("a node that had not folded records another node's compaction removed folds the log again from the base, and holds the same state")
    func laggingNodeFoldsFromTheBase() async throws {
        try await PostgresCluster.with { cluster in
            try await withTemporaryDirectory { directory in
                let (store, records, end) = try await Self.history(in: directory)
                await store.close()
                let compacting = try await PostgresLogTests.open(cluster)
                let half = records.count / 2
                try await Self.append(records[..<half], to: compacting)
                // A node signed in as a role of its own, whose reads of the records the test can take away.
                for statement in [
                    "CREATE ROLE lagger LOGIN PASSWORD 'lagger-password'", "GRANT CREATE, USAGE ON SCHEMA public TO lagger",
                    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO lagger",
                ] { try await PostgresLogTests.sql(cluster, PostgresQuery(unsafeSQL: statement)) }
                let lagging = try await PostgresLog.open(
                    try PostgresLocation(parsing: "postgres://lagger@127.0.0.1:\(cluster.port)/\(cluster.database)?sslmode=disable"),
                    password: "lagger-password", logger: Logger(label: "hooklog.tests.postgres-compaction"))
                #expect(lagging.withState(\.lastSequence) == UInt64(half))

                try await PostgresLogTests.sql(cluster, "REVOKE SELECT ON hooklog_records FROM lagger")
                try await Self.append(records[half...], to: compacting)
                let report = try #require(try await compacting.compact(before: end.adding(.seconds(1)), at: end, spread: .zero))
                #expect(report.removed > 0)
                #expect(lagging.withState(\.lastSequence) == UInt64(half), "the node could not read what was appended")

                try await PostgresLogTests.sql(cluster, "GRANT SELECT ON hooklog_records TO lagger")
                try await lagging.catchUp()
                let expected = compacting.withState { $0 }
                #expect(lagging.withState { expected.differences(from: $0) } == [], "the node folded the log again from the base")
                await lagging.close()
                await compacting.close()
            }
        }
    }

    @Test("a compacted log copies into PostgreSQL and back with its base, kept records and gaps: each copy answers every query as the original, verifies, and goes on")
    func copiesACompactedLog() async throws {
        try await PostgresCluster.with { cluster in
            try await withTemporaryDirectory { directory in
                var options = LogStore.Options()
                options.queueWindow = 8
                let store = try LogStore(directory: directory + "/original", options: options)
                var simulation = Simulation(workspaces: 3, webhooks: 6, events: 600, failureRate: 0.4, seed: 5)
                simulation.batchSize = 41
                var simulator = Simulator(simulation)
                let end = try await simulator.run(into: store).virtualEnd
                let workspaces = store.withState { $0.workspaces.keys.sorted() }
                let issued = try await store.execute(
                    [.issueApiKey(workspaces[0], keyHash: Array(repeating: 7, count: 32), hint: "sk_…7777")], at: end)
                guard case .apiKeyIssued(let key)? = try issued[0].get().first?.record.fact else {
                    Issue.record("no key issued: \(issued)")
                    return
                }
                _ = try await store.execute([.revokeApiKey(key.keyID)], at: end)
                for index in 0..<60 {
                    let incoming = IncomingEvent(
                        workspaceID: workspaces[index % workspaces.count], eventID: EventID("evt_late_\(index)"),
                        type: .contactCreated, data: Array(#"{"name":"Ada"}"#.utf8))
                    _ = try await store.execute([.receiveEvent(incoming)], at: end)
                }
                let written = try store.reader.records(after: 0, limit: .max, workspace: nil)
                let cutoff = written[written.count * 2 / 3].record.at
                let report = try #require(try await store.compact(before: cutoff, at: end.adding(.seconds(1)), spread: .zero))
                // The state folded from the first record with every queue whole, which every copy must fold into.
                var whole = HookLogState(policy: .standard, queueWindow: nil)
                whole.evolve(written + [try #require(try store.reader.record(at: report.baseSequence))])
                let reference = whole.wholeQueues(reading: PostgresFoldedLog())
                #expect(report.removed > 0)
                #expect(store.withState { $0.queues.values.contains { $0.overflow != nil } }, "queues go beyond the window")
                await store.close()

                let original = try LogReader(directory: directory + "/original")
                let held = try original.records(after: 0, limit: .max, workspace: nil)
                let last = try #require(held.last).sequence
                #expect(held.contains { $0.sequence < report.baseSequence }, "records before the base are kept")
                #expect(UInt64(held.count) < last, "compaction left gaps")
                let state = try original.wholeState(policy: .standard)
                #expect(state.differences(from: reference) == [])
                let middle = held[held.count / 2].record.at
                let expected = try await QueryAnswers(of: original, state: state, middle: middle)
                let location = try PostgresLocation(parsing: cluster.url)
                let logger = Logger(label: "hooklog.tests.postgres-copy")

                let into = try await LogMigration.copy(
                    from: original, policy: .standard, to: location, password: cluster.password, logger: logger)
                #expect(into == CopiedLog(records: held.count, lastSequence: last, baseSequence: report.baseSequence, differences: []))
                let database = try await PostgresReader.open(location, password: cluster.password, logger: logger)
                #expect(try await database.queries.verify(policy: .standard).differences == [])
                let folded = try await database.queries.foldedState(policy: .standard)
                #expect(folded.wholeQueues(reading: PostgresFoldedLog()).differences(from: reference) == [])
                try await QueryAnswers(of: database.queries, state: state, middle: middle).expectSame(as: expected)
                await #expect(throws: PostgresLogError.notEmpty(last)) {
                    try await LogMigration.copy(from: original, policy: .standard, to: location, password: cluster.password, logger: logger)
                }

                let back = try await LogMigration.copy(from: database.queries, toDirectory: directory + "/copy", policy: .standard)
                #expect(back == into)
                await database.close()
                let copy = try LogReader(directory: directory + "/copy")
                #expect(try Rebuild.verify(copy, policy: .standard).differences == [])
                #expect(try copy.wholeState(policy: .standard).differences(from: state) == [])
                try await QueryAnswers(of: copy, state: state, middle: middle).expectSame(as: expected)

                let kept = try #require(Self.redeliveries(of: held.filter { $0.sequence < report.baseSequence }).first)
                let removed = try #require(
                    Self.redeliveries(of: written.filter { entry in !held.contains { $0.sequence == entry.sequence } }).first)
                let log = try await PostgresLogTests.open(cluster)
                let reopened = try LogStore(directory: directory + "/copy")
                for (name, copied) in [("the database", log as any EventLog), ("the directory", reopened)] {
                    let results = try await copied.execute([kept, removed], at: end.adding(.seconds(2)))
                    #expect((try? results[0].get()) != nil, "\(name) sends a kept event again")
                    guard case .failure(let refusal) = results[1] else {
                        Issue.record("\(name) sent an event compaction removed")
                        continue
                    }
                    #expect(refusal.code == .notFound, "\(name)")
                }
                #expect(try await log.postgresQueries.verify(policy: .standard).differences == [])
                await log.close()
                await reopened.close()
                #expect(try Rebuild.verify(LogReader(directory: directory + "/copy"), policy: .standard).differences == [])
            }
        }
    }

    /// For each event among `records` that went to a webhook, a redelivery of its first delivery.
    private static func redeliveries(of records: [LoggedRecord]) -> [Command] {
        records.compactMap { entry -> Command? in
            guard case .eventReceived(let fact) = entry.record.fact, let delivery = fact.deliveries.first else { return nil }
            return .redeliver(
                delivery.webhookID, original: delivery.deliveryID, eventID: fact.eventID, eventType: fact.type,
                eventSequence: entry.sequence)
        }
    }
}
