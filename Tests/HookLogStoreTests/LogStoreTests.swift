import Foundation
import HookLogCore
@testable import HookLogStore
import HookLogTestSupport
import Testing

@Suite("The log store")
struct LogStoreTests {
    let start = Timestamp(seconds: 1_800_000_000)

    func workspaceRecord(_ index: Int) -> Record {
        Record(at: start.adding(.seconds(Int64(index))), .workspaceCreated(WorkspaceCreated(
            workspaceID: WorkspaceID("ws_\(index)"), name: "Workspace \(index)", plan: .advanced,
            ownerEmail: "owner\(index)@example.com")))
    }

    @Test("appended records read back in order with gap-free sequences from 1")
    func appendAndRead() async throws {
        try await withTemporaryDirectory { directory in
            let store = try LogStore(directory: directory)
            let appended = try await store.append((1...5).map(workspaceRecord))
            #expect(appended.map(\.sequence) == [1, 2, 3, 4, 5])
            let read = try await store.reader.records(after: 0, limit: 10)
            #expect(read == appended)
            #expect(try await store.reader.records(after: 3, limit: 1).map(\.sequence) == [4])
            #expect(store.withState { $0.workspaces.count } == 5)
            await store.close()
        }
    }

    @Test("what was acknowledged survives closing and reopening, and the live state is restored")
    func durableAcrossReopen() async throws {
        try await withTemporaryDirectory { directory in
            var options = LogStore.Options()
            options.checkpointInterval = 3
            let first = try LogStore(directory: directory, options: options)
            _ = try await first.append((1...4).map(workspaceRecord))
            _ = try await first.append([workspaceRecord(5)])
            let liveState = first.writerState
            await first.close()

            let second = try LogStore(directory: directory, options: options)
            #expect(second.writerState == liveState)
            #expect(try second.reader.lastSequence() == 5)
            let more = try await second.append([workspaceRecord(6)])
            #expect(more.map(\.sequence) == [6])
            await second.close()
        }
    }

    @Test("many concurrent appenders get distinct, gap-free sequences, each batch contiguous")
    func concurrentAppenders() async throws {
        try await withTemporaryDirectory { directory in
            let store = try LogStore(directory: directory)
            let batches = try await withThrowingTaskGroup(of: [LoggedRecord].self) { group in
                for task in 0..<200 {
                    group.addTask {
                        try await store.append((0..<5).map { self.workspaceRecord(task * 5 + $0) })
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let sequences = batches.flatMap { $0.map(\.sequence) }.sorted()
            #expect(sequences == Array(1...1000))
            for batch in batches {
                #expect(batch.map(\.sequence) == Array(batch[0].sequence..<batch[0].sequence + 5))
            }
            #expect(try store.reader.lastSequence() == 1000)
            #expect(store.withState { $0.workspaces.count } == 1000)
            await store.close()
        }
    }

    @Test("a full map grows and the append succeeds")
    func mapGrowsWhenFull() async throws {
        try await withTemporaryDirectory { directory in
            var options = LogStore.Options()
            options.mapSize = 1 << 20
            let store = try LogStore(directory: directory, options: options)
            let workspace = WorkspaceID("ws_big")
            _ = try await store.append([Record(at: start, .workspaceCreated(WorkspaceCreated(
                workspaceID: workspace, name: "Big", plan: .advanced, ownerEmail: "big@example.com")))])
            let payload = Array(#"{"blob":"\#(String(repeating: "x", count: 60_000))"}"#.utf8)
            for round in 0..<4 {
                let records = (0..<20).map { index in
                    Record(at: start, .eventReceived(EventReceived(
                        eventID: EventID("evt_\(round)_\(index)"), workspaceID: workspace, type: .contactCreated,
                        occurredAt: start, data: payload, idempotencyKey: nil, deliveries: [])))
                }
                _ = try await store.append(records)
            }
            #expect(try store.reader.lastSequence() == 81)
            #expect(store.reader.databases.environment.mapSize > 1 << 20)
            await store.close()
        }
    }

    @Test("commands and records waiting for the writer count in the backlog until a commit takes them")
    func backlog() async throws {
        try await withTemporaryDirectory { directory in
            let store = try LogStore(directory: directory)
            #expect(store.backlog == 0)
            let hold = WriterHold(store)
            defer { hold.release() }
            let blocker = Task { try await store.append([workspaceRecord(1)]) }
            try await eventually("the writer folded the blocker and waits to commit it") {
                store.writerState.lastSequence == 1
            }
            #expect(store.backlog == 0)
            let commands = Task {
                try await store.execute((2...4).map { .createWorkspace(name: "W\($0)", plan: .growth, ownerEmail: "w@example.com") }, at: start)
            }
            let records = Task { try await store.append([workspaceRecord(5), workspaceRecord(6)]) }
            try await eventually("both requests wait") { store.backlog == 5 }
            hold.release()
            _ = try await (blocker.value, commands.value, records.value)
            #expect(store.backlog == 0)
            #expect(try store.reader.lastSequence() == 6)
            await store.close()
        }
    }

    @Test("readers see only durable records: never one whose commit is under way, nor one whose commit then fails")
    func readersSeeOnlyDurableRecords() async throws {
        try await withTemporaryDirectory { directory in
            let store = try LogStore(directory: directory)
            _ = try await store.execute(.createWorkspace(name: "Kept", plan: .advanced, ownerEmail: "w@example.com"), at: start)
            // Another writer takes sequence 2 while it holds LMDB's write lock, so the store's next commit fails.
            let hold = WriterHold(store) { transaction in
                try transaction.put(
                    RecordCodec.encode(workspaceRecord(99)), forKey: LogKeys.sequence(2), in: store.reader.databases.log)
            }
            defer { hold.release() }
            let doomed = Task {
                try await store.execute(.createWorkspace(name: "Doomed", plan: .advanced, ownerEmail: "d@example.com"), at: start)
            }
            try await eventually("the writer folded the doomed workspace and waits to commit it") {
                store.writerState.lastSequence == 2
            }
            #expect(store.withState(\.lastSequence) == 1, "a reader does not see the record before its commit")
            #expect(store.withState { $0.workspaces.values.map(\.name) } == ["Kept"])
            hold.release()
            await #expect(throws: StoreError.self) { try await doomed.value }
            #expect(store.writerFailure != nil)
            #expect(store.withState(\.lastSequence) == 1, "nor after its commit failed")
            #expect(store.withState { $0.workspaces.values.map(\.name) } == ["Kept"])
            await store.close()
        }
    }

    @Test("a corrupt record is a decoding error naming its sequence, not a crash")
    func corruptRecord() async throws {
        try await withTemporaryDirectory { directory in
            let store = try LogStore(directory: directory)
            _ = try await store.append([workspaceRecord(1)])
            try store.reader.databases.environment.write { transaction in
                try transaction.put([RecordCodec.formatVersion, 99, 0], forKey: LogKeys.sequence(2), in: store.reader.databases.log)
            }
            #expect(throws: StoreError.self) { try store.reader.records(after: 0, limit: 10) }
            do {
                _ = try await store.reader.records(after: 0, limit: 10)
            } catch StoreError.corruptRecord(let sequence, _) {
                #expect(sequence == 2)
            }
            await store.close()
        }
    }

    @Test("a second writer on the same data directory is refused with a clear message")
    func secondWriterRefused() async throws {
        try await withTemporaryDirectory { directory in
            let store = try LogStore(directory: directory)
            #expect {
                _ = try LogStore(directory: directory)
            } throws: { error in
                String(describing: error).contains("in use by another hooklog process")
            }
            await store.close()
            let again = try LogStore(directory: directory)
            await again.close()
        }
    }

    @Test("a data directory written by a newer format is refused")
    func newerFormatRefused() async throws {
        try await withTemporaryDirectory { directory in
            let store = try LogStore(directory: directory)
            try store.reader.databases.environment.write { transaction in
                try transaction.put([LogDatabases.storageFormat + 1], forKey: LogDatabases.formatKey, in: store.reader.databases.meta)
            }
            await store.close()
            #expect {
                _ = try LogReader(directory: directory)
            } throws: { error in
                String(describing: error).contains("newer HookLog")
            }
        }
    }

    @Test("a refused command appends nothing and says why")
    func refusedCommand() async throws {
        try await withTemporaryDirectory { directory in
            let store = try LogStore(directory: directory)
            let created = try await store.execute(.createWorkspace(name: "Small", plan: .growth, ownerEmail: "a@b.example"), at: start)
            guard case .workspaceCreated(let workspace) = created.first?.record.fact else {
                Issue.record("expected WorkspaceCreated")
                return
            }
            await #expect(throws: DecisionError(.planRequired, "webhooks need the advanced plan or higher; workspace \(workspace.workspaceID) is on growth")) {
                try await store.execute(.createWebhook(workspace.workspaceID, url: "https://example.com/hook", events: [.messageSent]), at: start)
            }
            #expect(try store.reader.lastSequence() == 1)
            await store.close()
        }
    }

    @Test("an event id no index could hold is refused with a clear error, and the store goes on accepting events")
    func unsafeEventIDRefused() async throws {
        try await withTemporaryDirectory { directory in
            let store = try LogStore(directory: directory)
            let created = try await store.execute(.createWorkspace(name: "Acme", plan: .advanced, ownerEmail: "a@b.example"), at: start)
            guard case .workspaceCreated(let workspace) = created[0].record.fact else { throw StoryError.unexpected(created) }
            for badID in [String(repeating: "e", count: 600), "evt_1\r\nX-Injected: 1", ""] {
                await #expect(throws: DecisionError.self) {
                    try await store.execute(.receiveEvent(IncomingEvent(
                        workspaceID: workspace.workspaceID, eventID: EventID(badID), type: .contactCreated, data: Array("{}".utf8))), at: start)
                }
            }
            let accepted = try await store.execute(.receiveEvent(IncomingEvent(
                workspaceID: workspace.workspaceID, eventID: EventID("evt_ok-1.2:3"), type: .contactCreated, data: Array("{}".utf8))), at: start)
            #expect(accepted.map(\.sequence) == [2])
            await store.close()
            await store.close()
        }
    }
}
