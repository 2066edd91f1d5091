import HookLogCore
@testable import HookLogStore
import HookLogTestSupport
import Testing

/// A directory written in the layout of storage format 4 (names in the index keys, no id table) reads as it is when
/// opened read-only, and opened for writing is migrated to today's format in one transaction; either way every query
/// answers exactly what it answered on the directory before it was converted.
@Suite("Migrating a data directory to today's storage format", .serialized)
struct StorageMigrationTests {
    @Test("a compacted format-4 directory answers the same queries read-only, after its migration, and verifies")
    func formatFourDirectoryIsMigrated() async throws {
        try await withTemporaryDirectory { directory in
            var simulation = Simulation(workspaces: 3, webhooks: 6, events: 600, failureRate: 0.3, seed: 7)
            simulation.batchSize = 53
            simulation.retention = .seconds(20)
            simulation.compactionChance = 0.02
            let store = try LogStore(directory: directory + "/new")
            var simulator = Simulator(simulation)
            let summary = try await simulator.run(into: store)
            #expect(summary.compacted > 0, "records from before the base carry their index entries over")
            let expected = try await answers(of: store.reader, state: summary.state)
            await store.close()
            try LegacyDirectory.copy(from: directory + "/new", to: directory + "/old", format: 4)

            do {
                let old = try LogReader(directory: directory + "/old")
                #expect(old.databases.ids == nil, "read as format 4, by names")
                try await answers(of: old, state: summary.state).expectSame(as: expected)
                #expect(try Rebuild.verify(old, policy: .standard).differences == [])
                old.databases.environment.close()
            }

            let migrated = try LogStore(directory: directory + "/old")
            try await answers(of: migrated.reader, state: summary.state).expectSame(as: expected)
            #expect(try Rebuild.verify(migrated.reader, policy: .standard).differences == [])
            let format = try migrated.reader.databases.environment.read { transaction in
                try transaction.get(LogDatabases.formatKey, in: migrated.reader.databases.meta)
            }
            #expect(format == [LogDatabases.storageFormat])
            var story = StoreStory(migrated)
            story.now = summary.virtualEnd
            let workspace = try #require(summary.state.workspaces.keys.first)
            try await story.send(to: workspace)
            #expect(try Rebuild.verify(migrated.reader, policy: .standard).differences == [])
            await migrated.close()
        }
    }

    @Test("a new directory is written in today's format and its indexes list every record under a number")
    func newDirectoryIsNumbered() async throws {
        try await StoreStory.withNewStore { story in
            let workspace = try await story.createWorkspace()
            let webhook = try await story.createWebhook(in: workspace)
            let sent = try await story.send(to: workspace, key: "k1")
            let databases = story.store.reader.databases
            let ids = try #require(databases.ids)
            let listed = try databases.environment.read { transaction in
                let number = try #require(try ids.number(of: IndexedName(webhook), in: .webhooks, in: transaction))
                var sequences: [UInt64] = []
                try transaction.forEachDuplicate(of: LogKeys.number(number), in: databases.byWebhook, from: LogKeys.sequence(0)) {
                    sequences.append(LogKeys.sequence(from: $0))
                    return true
                }
                return sequences
            }
            #expect(listed == [2, sent.sequence])
            #expect(try story.store.reader.records(ofWebhook: webhook).map(\.sequence) == [2, sent.sequence])
        }
    }
}

extension StorageMigrationTests {
    @Test("rebuild --verify notices a name the id table lost and a name no index lists any more")
    func verifyCoversTheIdTable() async throws {
        try await StoreStory.withNewStore { story in
            let workspace = try await story.createWorkspace()
            let webhook = try await story.createWebhook(in: workspace)
            let databases = story.store.reader.databases
            let ids = try #require(databases.ids)
            try databases.environment.write { transaction in
                #expect(try transaction.delete(try #require(IdTable.tableKey(IndexedName(webhook), in: .webhooks)), in: ids.names))
                try transaction.put(LogKeys.number(1_000), forKey: [NamedIndex.Kind.webhooks.rawValue] + Array("wh_stray".utf8), in: ids.names)
            }

            let report = try Rebuild.verify(story.store.reader, policy: .standard)

            #expect(report.differences == [
                "id table: 1 numbers the indexes key have no name", "id table: 1 names no index lists anything under",
            ])
        }
    }
}

/// What a data directory's reader answers about every workspace, webhook, event and delivery of a state: every
/// query of ``LogQueries`` (``QueryAnswers``), and what only the reader is asked (a workspace's records, histories,
/// the sequences at a time).
private func answers(of reader: LogReader, state: HookLogState) async throws -> QueryAnswers {
    let records = try reader.records(after: 0, limit: .max, workspace: nil)
    var answers = try await QueryAnswers(of: reader, state: state, middle: records[records.count / 2].record.at)
    for workspace in state.workspaces.keys.sorted() {
        answers.lines.append("workspace \(workspace): \(try reader.records(ofWorkspace: workspace).map(\.sequence))")
    }
    for webhook in state.webhooks.keys.sorted() {
        answers.lines.append("history \(webhook): \(try reader.history(of: .webhook(webhook)).deliveries)")
    }
    for entry in records {
        guard case .eventReceived(let fact) = entry.record.fact else { continue }
        answers.lines.append("event history \(fact.eventID): \(try reader.history(of: .event(fact.eventID)).deliveries)")
        for at in [entry.record.at, entry.record.at.adding(.milliseconds(1)), entry.record.at.adding(.milliseconds(-1))] {
            let last = try reader.databases.environment.read { try reader.lastSequence(atOrBefore: at, in: $0) }
            answers.lines.append("at \(at): \(String(describing: try reader.firstSequence(atOrAfter: at))), \(String(describing: last))")
        }
    }
    return answers
}
