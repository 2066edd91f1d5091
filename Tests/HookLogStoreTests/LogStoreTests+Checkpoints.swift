import Foundation
import HookLogCore
@testable import HookLogStore
import HookLogTestSupport
import Testing

/// The writer hands checkpoints to a ``Checkpointer`` and writes the bytes in a later commit: what is stored must
/// still be the state of exactly the records up to its sequence, and closing must still leave one of the final state.
extension LogStoreTests {
    func storedCheckpointSequence(_ reader: LogReader) throws -> UInt64? {
        try Checkpoint.load(from: reader.databases)?.state.lastSequence
    }

    @Test("a checkpoint encoded off the writer's path is the state of the records up to its sequence, no more")
    func periodicCheckpointIsConsistent() async throws {
        try await withTemporaryDirectory { directory in
            var options = LogStore.Options()
            options.checkpointInterval = 4
            let store = try LogStore(directory: directory, options: options)
            for index in 1...10 { _ = try await store.append([workspaceRecord(index)]) }
            try await eventually("a periodic checkpoint is written") {
                try storedCheckpointSequence(store.reader) ?? 0 >= 4
            }
            for index in 11...13 { _ = try await store.append([workspaceRecord(index)]) }
            let report = try Rebuild.verify(store.reader, policy: .standard)
            #expect(report.checkpointSequence >= 4)
            #expect(report.checkpointSequence < 13)
            #expect(report.differences == [])
            await store.close()
        }
    }

    @Test("closing writes a checkpoint of the final state, and reopening restores it")
    func closingWritesTheFinalCheckpoint() async throws {
        try await withTemporaryDirectory { directory in
            var options = LogStore.Options()
            options.checkpointInterval = 2
            let store = try LogStore(directory: directory, options: options)
            for index in 1...9 { _ = try await store.append([workspaceRecord(index)]) }
            let liveState = store.writerState
            await store.close()

            let reader = try LogReader(directory: directory)
            #expect(try storedCheckpointSequence(reader) == 9)
            #expect(try Rebuild.verify(reader, policy: .standard).differences == [])
            let reopened = try LogStore(directory: directory, options: options)
            #expect(reopened.writerState == liveState)
            await reopened.close()
        }
    }

    @Test("a stored checkpoint that does not decode is passed over: the store replays the log and writes a new one")
    func undecodableCheckpointIsReplayedOver() async throws {
        try await withTemporaryDirectory { directory in
            let store = try LogStore(directory: directory)
            for index in 1...5 { _ = try await store.append([workspaceRecord(index)]) }
            let liveState = store.writerState
            await store.close()
            let garbages = [
                Array("HLCK".utf8) + [99] + Array("{}".utf8), Array("not a checkpoint".utf8), Array("{\"state\": 1}".utf8),
                Array("HLCK".utf8) + [4] + LogKeys.number(1 << 40) + [0x78, 0x01, 0x03, 0x00],
                Array("HLCK".utf8) + [4] + LogKeys.number(2) + Array("{}".utf8),
            ]
            for garbage in garbages {
                let databases = try LogDatabases(directory: directory, readOnly: false, mapSize: 64 << 20)
                try databases.environment.write { transaction in
                    try databases.checkpoint.write(garbage, in: transaction)
                }
                databases.environment.close()
                #expect(try storedCheckpointSequence(LogReader(directory: directory)) == nil, "it does not decode")

                let reopened = try LogStore(directory: directory)
                #expect(reopened.writerState == liveState, "the log alone gives the state")
                await reopened.close()
                let reader = try LogReader(directory: directory)
                #expect(try storedCheckpointSequence(reader) == 5, "closing wrote a checkpoint this build reads")
                #expect(try Rebuild.verify(reader, policy: .standard).differences == [])
            }
        }
    }

    @Test("a checkpoint is written with the format's magic and version, its state compressed, and names its queue window outside the policy; one of version 3 still reads")
    func checkpointFormat() async throws {
        try await withTemporaryDirectory { directory in
            var options = LogStore.Options()
            options.queueWindow = 7
            options.policy.errorLimit = 12
            let store = try LogStore(directory: directory, options: options)
            for index in 1...20 { _ = try await store.append([workspaceRecord(index)]) }
            await store.close()
            let reader = try LogReader(directory: directory)
            let stored = try #require(try reader.databases.environment.read { transaction in
                try reader.databases.checkpoint.withValue(in: transaction) { Array($0) }
            })
            #expect(Array(stored.prefix(5)) == Array("HLCK".utf8) + [4])
            let json = try JSONEncoder().encode(try #require(try Checkpoint.load(from: reader.databases)).state)
            #expect(stored[5..<13].withUnsafeBytes(LogKeys.number(from:)) == UInt64(json.count))
            #expect(stored.count < json.count / 2, "\(stored.count) bytes stored for \(json.count) bytes of JSON")
            #expect(try reader.checkpointSettings()?.queueWindow == 7)
            #expect(try reader.checkpointSettings()?.policy == options.policy)
            reader.databases.environment.close()

            let databases = try LogDatabases(directory: directory, readOnly: false, mapSize: 64 << 20)
            try databases.environment.write { transaction in
                try databases.checkpoint.write(try FormerSnapshots.version3(ofCheckpoint: stored), in: transaction)
            }
            databases.environment.close()
            let former = try LogReader(directory: directory)
            #expect(try storedCheckpointSequence(former) == 20, "version 3 reads")
            #expect(try former.checkpointSettings()?.queueWindow == 7)
            #expect(try former.checkpointSettings()?.policy == options.policy)
            #expect(try Rebuild.verify(former, policy: options.policy, queueWindow: 7).checkpointSequence == 20)
        }
    }

    @Test("a checkpoint taken with unbounded queues says so in its settings")
    func unboundedWindowSettings() async throws {
        try await withTemporaryDirectory { directory in
            var options = LogStore.Options()
            options.queueWindow = nil
            options.policy.errorLimit = 12
            let store = try LogStore(directory: directory, options: options)
            for index in 1...3 { _ = try await store.append([workspaceRecord(index)]) }
            await store.close()
            let reader = try LogReader(directory: directory)
            let settings = try #require(try reader.checkpointSettings())
            #expect(settings.queueWindow == nil)
            #expect(settings.policy == options.policy)
        }
    }
}
