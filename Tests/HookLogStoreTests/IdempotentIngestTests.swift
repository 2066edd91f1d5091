import Foundation
import HookLogCore
@testable import HookLogStore
import HookLogTestSupport
import Testing

/// docs/rules.md §4, `POST /v1/events`: "`Idempotency-Key` or a repeated `id` returns the first result" — decided inside
/// the writer, so that a request sent twice, even twice at once, is appended once.
@Suite("Idempotent ingest")
struct IdempotentIngestTests {
    /// One ingest request of events with these ids (nil: generated), all carrying `key`.
    func request(_ story: StoreStory, to workspace: WorkspaceID, ids: [String?], key: String? = nil) -> [Command] {
        ids.map { .receiveEvent(story.event(to: workspace, id: $0, key: key)) }
    }

    /// The records a request's results hold, in order.
    func records(_ results: [Result<[LoggedRecord], DecisionError>]) throws -> [LoggedRecord] {
        try results.flatMap { try $0.get() }
    }

    /// How many `EventReceived` records the log holds.
    func receivedCount(_ store: LogStore) throws -> Int {
        try store.reader.records(after: 0, limit: .max).filter { $0.record.fact.typeName == "EventReceived" }.count
    }

    @Test("an event id the workspace sent before returns the original record and appends nothing, also after a restart")
    func repeatedEventID() async throws {
        try await withTemporaryDirectory { directory in
            var store = try LogStore(directory: directory)
            var story = StoreStory(store)
            let acme = try await story.createWorkspace("Acme")
            _ = try await story.createWebhook(in: acme)
            let original = try await store.execute(.receiveEvent(story.event(.contactCreated, to: acme, id: "evt_1")), at: story.now)
            let length = try store.reader.lastSequence()
            story.advance(.seconds(60))

            let repeated = try await store.execute(.receiveEvent(story.event(.messageSent, to: acme, id: "evt_1")), at: story.now)

            #expect(repeated == original)
            #expect(try store.reader.lastSequence() == length)

            let mixed = try await store.execute(request(story, to: acme, ids: ["evt_2", "evt_1", "evt_2", nil]), at: story.now)
            let sent = try mixed.map { try $0.get() }
            #expect(sent[1] == original)
            #expect(sent[2] == sent[0])
            #expect(sent[0].first?.sequence == length + 1)
            #expect(sent[3].first?.sequence == length + 2)
            #expect(try receivedCount(store) == 3)

            let globex = try await story.createWorkspace("Globex")
            let theirs = try await store.execute(.receiveEvent(story.event(to: globex, id: "evt_1")), at: story.now)
            #expect(theirs != original)
            #expect(try receivedCount(store) == 4)

            await store.close()
            store = try LogStore(directory: directory)
            let afterRestart = try await store.execute(.receiveEvent(story.event(to: acme, id: "evt_1")), at: story.now)
            #expect(afterRestart == original)
            #expect(try receivedCount(store) == 4)
            await store.close()
        }
    }

    @Test("a repeated Idempotency-Key returns the original request's records and appends nothing; the same key in another workspace is another request")
    func repeatedIdempotencyKey() async throws {
        try await withTemporaryDirectory { directory in
            var store = try LogStore(directory: directory)
            var story = StoreStory(store)
            let acme = try await story.createWorkspace("Acme")
            _ = try await story.createWebhook(in: acme)
            let batch = request(story, to: acme, ids: [nil, nil, "evt_3"], key: "import-2026-11-25")
            let original = try records(try await store.execute(batch, at: story.now))
            #expect(original.map(\.record.fact.typeName) == ["EventReceived", "EventReceived", "EventReceived"])
            let length = try store.reader.lastSequence()
            story.advance(.seconds(60))

            let replay = try await store.execute(batch, at: story.now)
            let differentBody = try await store.execute(request(story, to: acme, ids: ["evt_9"], key: "import-2026-11-25"), at: story.now)

            #expect(try replay.map { try $0.get() } == [original, [], []])
            #expect(try differentBody.map { try $0.get() } == [original])
            #expect(try store.reader.lastSequence() == length)

            let globex = try await story.createWorkspace("Globex")
            let theirs = try records(try await store.execute(request(story, to: globex, ids: [nil], key: "import-2026-11-25"), at: story.now))
            #expect(theirs.first?.sequence == length + 2)

            await store.close()
            store = try LogStore(directory: directory)
            #expect(try records(try await store.execute(batch, at: story.now)) == original)
            #expect(try Rebuild.verify(store.reader, policy: .standard).differences == [])
            await store.close()
        }
    }

    @Test("identical requests that reach the writer together, in one group commit, are appended once")
    func identicalRequestsInOneGroupCommit() async throws {
        try await StoreStory.withNewStore { story in
            let store = story.store
            let acme = try await story.createWorkspace()
            _ = try await story.createWebhook(in: acme)
            let keyed = request(story, to: acme, ids: [nil, nil], key: "retry-me")
            let byID = request(story, to: acme, ids: ["evt_1"])
            let decided = try store.reader.lastSequence()

            let hold = WriterHold(store)
            defer { hold.release() }
            let blocking = story
            let blocker = Task { try await blocking.createWorkspace("Blocker") }
            try await eventually("the writer decided the blocker and waits to commit it") {
                store.writerState.lastSequence == decided + 1
            }
            let now = story.now
            async let keyedFirst = store.execute(keyed, at: now)
            async let keyedAgain = store.execute(keyed, at: now)
            async let idFirst = store.execute(byID, at: now)
            async let idAgain = store.execute(byID, at: now)
            try await eventually("every request waits for the next group commit") { store.backlog == 6 }
            hold.release()
            _ = try await blocker.value

            let keyedResults = try await [records(keyedFirst), records(keyedAgain)]
            let idResults = try await [records(idFirst), records(idAgain)]
            #expect(keyedResults[0] == keyedResults[1])
            #expect(keyedResults[0].count == 2)
            #expect(idResults[0] == idResults[1])
            #expect(try receivedCount(store) == 3)
            #expect(store.backlog == 0)
        }
    }

    @Test("many identical requests sent at once are appended once")
    func manyIdenticalRequests() async throws {
        try await StoreStory.withNewStore { story in
            let store = story.store
            let acme = try await story.createWorkspace()
            _ = try await story.createWebhook(in: acme)
            let now = story.now
            let answers = try await withThrowingTaskGroup(of: [LoggedRecord].self) { group in
                for index in 0..<40 {
                    let commands = index.isMultiple(of: 2)
                        ? request(story, to: acme, ids: [nil, nil, nil], key: "burst")
                        : request(story, to: acme, ids: ["evt_burst"])
                    group.addTask { try self.records(try await store.execute(commands, at: now)) }
                }
                return try await group.reduce(into: Set<[LoggedRecord]>()) { $0.insert($1) }
            }
            #expect(answers.count == 2)
            #expect(try receivedCount(store) == 4)
        }
    }

    @Test("a data directory of storage format 1 reads as it is, and opened for writing gains the idempotency index from its log")
    func formatOneDirectoryIsUpgraded() async throws {
        try await withTemporaryDirectory { directory in
            let store = try LogStore(directory: directory + "/new")
            let story = StoreStory(store)
            let acme = try await story.createWorkspace()
            _ = try await story.createWebhook(in: acme)
            let original = try records(try await store.execute(request(story, to: acme, ids: [nil, nil], key: "k1"), at: story.now))
            try await story.send(to: acme, id: "evt_plain")
            let log = try await store.reader.records(after: 0, limit: .max)
            await store.close()
            try Self.copyAsFormatOne(from: directory + "/new", to: directory + "/old")

            do {
                let oldReader = try LogReader(directory: directory + "/old")
                #expect(try await oldReader.records(after: 0, limit: .max) == log)
                #expect(try Rebuild.verify(oldReader, policy: .standard).differences == [])
            }

            let upgraded = try LogStore(directory: directory + "/old")
            #expect(try records(try await upgraded.execute(request(story, to: acme, ids: [nil], key: "k1"), at: story.now)) == original)
            #expect(try upgraded.reader.lastSequence() == log.last?.sequence)
            #expect(try Rebuild.verify(upgraded.reader, policy: .standard).differences == [])
            let format = try upgraded.reader.databases.environment.read { transaction in
                try transaction.get(LogDatabases.formatKey, in: upgraded.reader.databases.meta)
            }
            #expect(format == [LogDatabases.storageFormat])
            await upgraded.close()
        }
    }

    @Test("rebuild --verify notices an idempotency index entry that is missing")
    func verifyCoversTheIdempotencyIndex() async throws {
        try await StoreStory.withNewStore { story in
            let store = story.store
            let acme = try await story.createWorkspace()
            let sent = try await story.send(to: acme, key: "k1")
            let databases = store.reader.databases
            let index = try #require(databases.byIdempotencyKey)
            let removed = try databases.environment.write { transaction in
                let name = IndexedName(IdempotencyKey(workspaceID: acme, value: "k1"))
                let naming = try #require(databases.naming)
                let named = try #require(databases.namedIndex(index))
                let key = try #require(try naming.key(of: name, in: named, in: transaction))
                return try transaction.deleteDuplicate(LogKeys.sequence(sent.sequence), forKey: LogKeys.number(key), in: index)
            }
            #expect(removed)

            let report = try Rebuild.verify(store.reader, policy: .standard)

            #expect(report.differences == ["index by_idempotency_key: 0 entries, the log calls for 1"])
        }
    }

    /// Copies a data directory as a build before the idempotency index wrote it: storage format 1, without that index
    /// (``LegacyDirectory``).
    static func copyAsFormatOne(from source: String, to destination: String) throws {
        try LegacyDirectory.copy(from: source, to: destination, format: 1)
    }
}
