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
            let expected = try Answers(of: store.reader, state: summary.state)
            await store.close()
            try LegacyDirectory.copy(from: directory + "/new", to: directory + "/old", format: 4)

            do {
                let old = try LogReader(directory: directory + "/old")
                #expect(old.databases.ids == nil, "read as format 4, by names")
                try Answers(of: old, state: summary.state).expectSame(as: expected)
                #expect(try Rebuild.verify(old, policy: .standard).differences == [])
                old.databases.environment.close()
            }

            let migrated = try LogStore(directory: directory + "/old")
            try Answers(of: migrated.reader, state: summary.state).expectSame(as: expected)
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

/// What the queries answer about every workspace, webhook, event and delivery of a state, as text.
private struct Answers {
    var lines: [String] = []
    /// The audits, compared as values: their dictionaries print in no fixed order.
    var audits: [AuditReport] = []

    /// Records an issue for the first answer that differs from `expected`'s.
    func expectSame(as expected: Answers, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(lines.count == expected.lines.count, sourceLocation: sourceLocation)
        #expect(audits == expected.audits, sourceLocation: sourceLocation)
        if let (line, wanted) = zip(lines, expected.lines).first(where: { $0 != $1 }) {
            Issue.record("answered \(line)\nexpected \(wanted)", sourceLocation: sourceLocation)
        }
    }

    init(of reader: LogReader, state: HookLogState) throws {
        for workspace in state.workspaces.keys.sorted() {
            lines.append("workspace \(workspace): \(try reader.records(ofWorkspace: workspace).map(\.sequence))")
            lines.append("raw log \(workspace): \(try reader.records(after: 40, limit: 50, workspace: workspace).map(\.sequence))")
        }
        for webhook in state.webhooks.keys.sorted() {
            lines.append("webhook \(webhook): \(try reader.records(ofWebhook: webhook).map(\.sequence))")
            lines.append("latest \(webhook): \(try reader.latestRecords(ofWebhook: webhook, limit: 7).map(\.sequence))")
            lines.append("history \(webhook): \(try reader.history(of: .webhook(webhook)).deliveries)")
            let recoverable = try reader.recoverableDeliveries(
                ofWebhook: webhook, since: nil, after: 0, through: try reader.lastSequence(), examining: .max)
            lines.append("recoverable \(webhook): \(recoverable.deliveries)")
            audits.append(try reader.audit(ofWebhook: webhook, since: nil, until: nil))
            let window = DeliveryQuery(since: Timestamp(seconds: 1_767_225_610), until: Timestamp(seconds: 1_767_225_640))
            lines.append("window \(webhook): \(try reader.deliveries(ofWebhook: webhook, matching: window).deliveries)")
        }
        try reader.forEachRecord { entry in
            guard case .eventReceived(let fact) = entry.record.fact else { return true }
            lines.append("event \(fact.eventID): \(String(describing: try reader.event(fact.eventID, in: fact.workspaceID)))")
            lines.append("event history \(fact.eventID): \(try reader.history(of: .event(fact.eventID)).deliveries)")
            for delivery in fact.deliveries {
                lines.append("delivery \(delivery.deliveryID): \(String(describing: try reader.delivery(delivery.deliveryID)))")
            }
            for at in [entry.record.at, entry.record.at.adding(.milliseconds(1)), entry.record.at.adding(.milliseconds(-1))] {
                let last = try reader.databases.environment.read { try reader.lastSequence(atOrBefore: at, in: $0) }
                lines.append("at \(at): \(String(describing: try reader.firstSequence(atOrAfter: at))), \(String(describing: last))")
            }
            return true
        }
    }
}
