import Foundation
import HookLogCore
@testable import HookLogStore
import HookLogTestSupport
import Testing

/// Compaction (docs/rules.md §3.7) on real LMDB files: the log is cut behind a base snapshot, finished history older
/// than the retention goes, and the state stays exactly what it was.
@Suite("Compacting the log", .serialized)
struct CompactionTests {
    /// A failure-heavy simulation compacted at random points with a retention of a minute of virtual time: queues
    /// that wait, retries, drops, disables with skipped deliveries that expire, e-mails and late enables all cross
    /// cuts.
    func simulation(seed: UInt64) -> Simulation {
        var simulation = Simulation(workspaces: 3, webhooks: 8, events: 4_000, failureRate: 0.3, seed: seed)
        simulation.batchSize = 97
        simulation.retention = .seconds(60)
        simulation.compactionChance = 0.01
        return simulation
    }

    @Test(
        "compacted at random points, live equals what readers see, the base plus the records after it, and the archive replayed from the first record",
        arguments: 1...8)
    func compactionKeepsState(seed: UInt64) async throws {
        try await withTemporaryDirectory { directory in
            var options = LogStore.Options()
            options.checkpointInterval = 1_000
            options.archive = directory + "/archive"
            let store = try LogStore(directory: directory + "/data", options: options)
            var simulator = Simulator(simulation(seed: seed))
            let summary = try await simulator.run(into: store)
            #expect(store.withState { $0 } == summary.state.readerView(), "readers were published every change")
            #expect(summary.compacted > summary.records / 20, "a good part of the history is older than a minute and finished")
            #expect(summary.recordTypes["HistoryCompacted", default: 0] > 5)
            #expect(summary.recordTypes["WebhookDisabled", default: 0] > 0)

            let report = try Rebuild.verify(store.reader, policy: .standard)
            #expect(report.differences == [])
            #expect(report.state == summary.state)
            #expect(report.baseSequence > 0)
            let held = try await store.reader.records(after: 0, limit: .max).count
            #expect(held == summary.records - summary.compacted)

            let archive = try ArchiveReader(directory: directory + "/archive")
            let replayed = try Rebuild.verify(store.reader, archive: archive, policy: .standard)
            #expect(replayed.differences == [])
            #expect(replayed.records == summary.records)
            for segment in try archive.segments() {
                let mode = try #require(FileManager.default.attributesOfItem(atPath: segment.path)[.posixPermissions] as? Int)
                #expect(mode == 0o600, "\(segment.path) holds event data")
            }
            await store.close()

            let reopened = try LogStore(directory: directory + "/data", options: options)
            #expect(reopened.writerState == summary.state)
            #expect(try Rebuild.verify(reopened.reader, policy: .standard).differences == [])
            await reopened.close()
        }
    }

    @Test(
        "a compacted directory of format 7 or 8, its base and checkpoint uncompressed, whole in format 7, opens as it was, and its next pass stores the base compressed, in pieces",
        arguments: [UInt8(7), 8])
    func formerBaseReads(format: UInt8) async throws {
        try await withTemporaryDirectory { directory in
            var options = LogStore.Options()
            options.checkpointInterval = 1_000
            let store = try LogStore(directory: directory, options: options)
            var simulator = Simulator(simulation(seed: 3))
            let summary = try await simulator.run(into: store)
            await store.close()
            let former = try LogDatabases(directory: directory, readOnly: false, mapSize: 64 << 20)
            try former.environment.write { transaction in
                for stored in [former.base, former.checkpoint] {
                    let bytes = try #require(try stored.withValue(in: transaction) { Array($0) })
                    let uncompressed = try FormerSnapshots.version3(bytes, storedAs: stored)
                    if format == 7 {
                        try stored.write([], in: transaction)
                        _ = try transaction.delete(stored.name + [0, 0, 0, 0, 0], in: former.meta)
                        try transaction.put(uncompressed, forKey: stored.name, in: former.meta)
                    } else {
                        try stored.write(uncompressed, in: transaction)
                    }
                }
                try transaction.put([format], forKey: LogDatabases.formatKey, in: former.meta)
            }
            former.environment.close()

            let reopened = try LogStore(directory: directory, options: options)
            #expect(reopened.writerState == summary.state)
            #expect(try Rebuild.verify(reopened.reader, policy: .standard).differences == [])
            let databases = reopened.reader.databases
            let wholeBase = { try databases.environment.read { try $0.get(BaseSnapshot.key, in: databases.meta) } }
            #expect(try wholeBase() != nil || format == 8, "opening reads the whole base as it is")
            let baseVersion = {
                try databases.environment.read { try databases.base.withValue(in: $0) { $0[8 + Checkpoint.magic.count] } }
            }
            #expect(try baseVersion() == 3)
            let end = summary.virtualEnd.adding(.seconds(3_600))
            _ = try await reopened.execute(.compactHistory(through: reopened.writerState.lastSequence, before: end), at: end)
            _ = try await reopened.removeBehindCut()
            #expect(try wholeBase() == nil, "the pass replaced it with pieces")
            #expect(try baseVersion() == Checkpoint.formatVersion, "compressed")
            #expect(try Rebuild.verify(reopened.reader, policy: .standard).differences == [])
            await reopened.close()
        }
    }

    @Test("finished history goes, pending deliveries keep their events, and repeats are recognised within the retention only")
    func whatGoesAndWhatStays() async throws {
        try await StoreStory.withNewStore { story in
            let workspace = try await story.createWorkspace()
            let answered = try await story.createWebhook(in: workspace, events: [.contactCreated])
            let waiting = try await story.createWebhook(in: workspace, events: [.messageReceived])
            let finished = try await story.send(.contactCreated, to: workspace, id: "evt_finished", key: "key-finished")
            let queued = try await story.send(.messageReceived, to: workspace, id: "evt_queued")
            try await story.attemptHead(of: answered, answering: 200)
            let finishedDelivery = try #require(story.store.reader.history(of: .event(EventID("evt_finished"))).deliveries.first)
            story.advance(.seconds(2 * 86_400))
            let recent = try await story.send(.contactCreated, to: workspace, id: "evt_recent")
            let cutoff = story.now.adding(.seconds(-86_400))

            let report = try #require(try await story.store.compact(before: cutoff, at: story.now))
            #expect(report.removed > 0)
            #expect(report.through < recent.sequence)
            #expect(try story.store.reader.record(at: finished.sequence) == nil)
            #expect(try story.store.reader.history(of: .event(EventID("evt_finished"))).deliveries == [])
            #expect(try story.store.reader.record(at: queued.sequence) != nil, "a queued delivery keeps its event")
            #expect(story.store.withState { $0.queues[waiting]?.head?.reference.eventSequence } == queued.sequence)
            #expect(try story.store.reader.history(of: .event(EventID("evt_recent"))).deliveries.count == 1)
            #expect(try story.store.reader.historyStart() == HistoryStart(at: cutoff, through: report.through))
            #expect(try Rebuild.verify(story.store.reader, policy: .standard).differences == [])

            let repeatedQueued = try await story.send(.messageReceived, to: workspace, id: "evt_queued")
            #expect(repeatedQueued == queued, "an event id still in the log is a repeat")
            let resent = try await story.send(.contactCreated, to: workspace, id: "evt_finished", key: "key-finished")
            #expect(resent.sequence > recent.sequence, "an event id older than the retention is a new event")

            await #expect(throws: DecisionError.self) {
                _ = try await story.store.execute(.redeliver(
                    answered, original: finishedDelivery.deliveryID, eventID: finishedDelivery.eventID,
                    eventType: .contactCreated, eventSequence: finished.sequence), at: story.now)
            }
            #expect(try await story.store.compact(before: cutoff, at: story.now) == nil, "nothing new is older than the cut-off")
        }
    }

    @Test("a compaction write that fails is refused alone: the batch it rode with is committed, and nothing is removed")
    func failedHousekeepingSparesItsBatch() async throws {
        try await StoreStory.withNewStore { mutableStory in
            let story = mutableStory
            let store = story.store
            let workspace = try await story.createWorkspace()
            let old = try await story.send(to: workspace, id: "evt_old")
            let broken = CompactionChunk(removals: [CompactionChunk.Removal(
                sequence: old.sequence, bytes: [], events: [],
                indexEntries: [IndexEntry(database: store.reader.databases.log, key: [], value: [0])], names: [:])])

            // Another transaction holds LMDB's write lock, so that the writer takes the removal and the next event
            // in one group commit once it is let go.
            let (taken, release) = (DispatchSemaphore(value: 0), DispatchSemaphore(value: 0))
            Thread {
                _ = try? store.reader.databases.environment.write { _ in
                    taken.signal()
                    release.wait()
                }
            }.start()
            taken.wait()
            let blocking = Task { try await story.send(to: workspace, id: "evt_blocking") }
            try await Task.sleep(for: .milliseconds(200))
            let removal = Task { try await store.removeChunk(broken, since: 0) }
            let riding = Task { try await story.send(to: workspace, id: "evt_riding") }
            while store.backlog < 1 { try await Task.sleep(for: .milliseconds(10)) }
            try await Task.sleep(for: .milliseconds(200))
            release.signal()

            await #expect(throws: LMDBError.self) { try await removal.value }
            _ = try await blocking.value
            let rode = try await riding.value
            #expect(try store.reader.record(at: rode.sequence) != nil, "the event that rode with the failed removal is stored")
            #expect(try store.reader.record(at: old.sequence) != nil, "a failed removal removes nothing")
            #expect(store.writerFailure == nil)
            #expect(try await story.send(to: workspace, id: "evt_after").sequence == rode.sequence + 1)
            #expect(try Rebuild.verify(store.reader, policy: .standard).differences == [])
        }
    }
}
