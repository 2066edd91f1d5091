import HookLogCore
@testable import HookLogStore
import HookLogTestSupport
import Testing

/// The writer's bound on the deliveries one commit brings (``CommitBudget``): a large request is split over several
/// commits, other requests are written between its parts, and repeats of it are still appended once.
@Suite("The deliveries one commit brings")
struct CommitBudgetTests {
    /// One request of `count` events to `workspace`, each with data of its own (the first's `firstData` when given),
    /// all carrying `key`.
    static func request(to workspace: WorkspaceID, count: Int, key: String? = nil, firstData: String? = nil) -> [Command] {
        (0..<count).map { index in
            let data = index == 0 ? firstData ?? #"{"n":0}"# : #"{"n":\#(index)}"#
            return .receiveEvent(IncomingEvent(workspaceID: workspace, type: .contactCreated, data: Array(data.utf8), idempotencyKey: key))
        }
    }

    /// A workspace with 50 webhooks: 200 events fan out to 10,000 deliveries, three commits' worth.
    static func busyWorkspace(_ story: StoreStory) async throws -> WorkspaceID {
        let acme = try await story.createWorkspace("Acme")
        for _ in 0..<50 { _ = try await story.createWebhook(in: acme, events: [.contactCreated]) }
        return acme
    }

    /// How many `EventReceived` records the log holds.
    static func receivedCount(_ store: LogStore) throws -> Int {
        try store.reader.records(after: 0, limit: .max).count { $0.record.fact.typeName == "EventReceived" }
    }

    @Test("another workspace's event sent while a large request is written is committed between the request's parts")
    func otherRequestsGoBetweenParts() async throws {
        try await StoreStory.withNewStore { story in
            let store = story.store
            let acme = try await Self.busyWorkspace(story)
            let globex = try await story.createWorkspace("Globex")
            let decided = store.writerState.lastSequence
            let now = story.now

            let hold = WriterHold(store)
            defer { hold.release() }
            let large = Task { try await store.execute(Self.request(to: acme, count: 200), at: now) }
            try await eventually("the writer decided the first part and waits to commit it") { store.writerState.lastSequence > decided }
            let event = story.event(to: globex)
            let small = Task { try await store.execute(.receiveEvent(event), at: now) }
            try await eventually("the other workspace's event waits for the next commit") { store.backlog == 1 }
            hold.release()

            let other = try #require(try await small.value.first?.sequence)
            let sequences = try await large.value.map { try #require(try $0.get().first?.sequence) }
            #expect(sequences.count == 200)
            #expect(sequences.filter { $0 < other }.count == 82, "the first part ends with the event that reaches 4,096 deliveries")
            #expect(sequences.filter { $0 > other }.count == 118)
            #expect(sequences == sequences.sorted())
        }
    }

    @Test("two identical large requests with one Idempotency-Key, sent together, are written once and answered alike")
    func identicalLargeRequestsAreWrittenOnce() async throws {
        try await StoreStory.withNewStore { story in
            let store = story.store
            let acme = try await Self.busyWorkspace(story)
            let decided = store.writerState.lastSequence
            let now = story.now
            let request = Self.request(to: acme, count: 200, key: "import")

            let hold = WriterHold(store)
            defer { hold.release() }
            let first = Task { try await store.execute(request, at: now) }
            try await eventually("the writer decided the first part and waits to commit it") { store.writerState.lastSequence > decided }
            let second = Task { try await store.execute(request, at: now) }
            try await eventually("the repeat waits for the next commit") { store.backlog == 200 }
            hold.release()

            let firstRecords = try await first.value.flatMap { try $0.get() }
            let secondRecords = try await second.value.flatMap { try $0.get() }
            #expect(firstRecords.count == 200)
            #expect(secondRecords == firstRecords)
            #expect(try Self.receivedCount(store) == 200)
        }
    }

    @Test("a request repeating a key is answered as the first unless it starts with exactly the first's events and has more: then only the rest is written")
    func repeatingAKeyWithMoreEvents() async throws {
        try await StoreStory.withNewStore { story in
            let store = story.store
            let acme = try await story.createWorkspace()
            let original = try await store.execute(Self.request(to: acme, count: 3, key: "k"), at: story.now).flatMap { try $0.get() }

            let other = try await store.execute(Self.request(to: acme, count: 5, key: "k", firstData: #"{"other":true}"#), at: story.now)
            #expect(try other.map { try $0.get() } == [original, [], [], [], []])
            #expect(try Self.receivedCount(store) == 3)

            let resumed = try await store.execute(Self.request(to: acme, count: 5, key: "k"), at: story.now).map { try $0.get() }
            #expect(Array(resumed.prefix(3)) == original.map { [$0] })
            #expect(resumed[3].first?.sequence == (original.last?.sequence ?? 0) + 1)
            #expect(try Self.receivedCount(store) == 5)
        }
    }
}
