import HookLogCore
@testable import HookLogStore
import HookLogTestSupport
import Testing

@Suite("The log merged with its archive")
struct ArchiveMergeTests {
    /// Tells a short story to a new store in `directory` (a workspace, two webhooks, events, an attempt), closes it,
    /// and returns what its log holds.
    func writeLog(in directory: String) async throws -> [LoggedRecord] {
        var story = StoreStory(try LogStore(directory: directory))
        let workspace = try await story.createWorkspace()
        let webhook = try await story.createWebhook(in: workspace)
        _ = try await story.createWebhook(in: workspace)
        for _ in 1...5 {
            try await story.send(to: workspace)
            story.advance(.seconds(1))
        }
        try await story.attemptHead(of: webhook, answering: 200)
        await story.store.close()
        let reader = try LogReader(directory: directory)
        return try logged { try reader.forEachRecord(after: 0, $0) }
    }

    @Test func recordsInTheLogAndTheArchiveAppearOnceInOrder() async throws {
        try await withTemporaryDirectory { directory in
            let log = try await writeLog(in: directory + "/data")
            let reader = try LogReader(directory: directory + "/data")
            try ArchiveWriter(directory: directory + "/archive").write(records: stored(reader, through: 6))
            let archive = try ArchiveReader(directory: directory + "/archive")
            #expect(try logged { try reader.forEachRecord(mergedWith: archive, $0) } == log)
            #expect(try logged { try reader.forEachRecord(after: 4, mergedWith: archive, $0) } == Array(log.dropFirst(4)))
        }
    }

    @Test func recordsTheLogNoLongerHoldsComeFromTheArchive() async throws {
        try await withTemporaryDirectory { directory in
            let log = try await writeLog(in: directory + "/data")
            let compacted: Set<UInt64> = [1, 3, 4, 7]
            try ArchiveWriter(directory: directory + "/archive").write(
                records: stored(LogReader(directory: directory + "/data"), through: 7).filter { compacted.contains($0.sequence) })
            let databases = try LogDatabases(directory: directory + "/data", readOnly: false, mapSize: 1 << 20)
            try databases.environment.write { transaction in
                for sequence in compacted { _ = try transaction.delete(LogKeys.sequence(sequence), in: databases.log) }
            }
            let reader = LogReader(databases: databases)
            let remaining = try logged { try reader.forEachRecord(after: 0, $0) }
            #expect(remaining.map(\.sequence) == log.map(\.sequence).filter { !compacted.contains($0) })

            let archive = try ArchiveReader(directory: directory + "/archive")
            #expect(try logged { try reader.forEachRecord(mergedWith: archive, $0) } == log)
            var firstThree: [UInt64] = []
            try reader.forEachRecord(after: 1, mergedWith: archive) { entry in
                firstThree.append(entry.sequence)
                return firstThree.count < 3
            }
            #expect(firstThree == [2, 3, 4])
        }
    }

    @Test func aRecordTheLogAndTheArchiveHoldDifferentlyIsAnErrorNamingTheSegment() async throws {
        try await withTemporaryDirectory { directory in
            _ = try await writeLog(in: directory + "/data")
            let reader = try LogReader(directory: directory + "/data")
            var records = try stored(reader, through: 3)
            records[1].bytes = records[0].bytes
            let segment = try #require(try ArchiveWriter(directory: directory + "/archive").write(records: records))
            let error = #expect(throws: ArchiveError.self) {
                try logged { try reader.forEachRecord(mergedWith: ArchiveReader(directory: directory + "/archive"), $0) }
            }
            #expect(error?.description == "record 2 differs between the log and the archive (\(segment))")
        }
    }

    /// The records of the log through sequence `last`, with the bytes it stores.
    func stored(_ reader: LogReader, through last: UInt64) throws -> [ArchivedRecord] {
        var records: [ArchivedRecord] = []
        try reader.forEachStoredRecord { record in
            guard record.sequence <= last else { return false }
            records.append(record)
            return true
        }
        return records
    }

    /// Every record a `forEachRecord` function gives.
    func logged(_ forEachRecord: ((LoggedRecord) throws -> Bool) throws -> Void) throws -> [LoggedRecord] {
        var records: [LoggedRecord] = []
        try forEachRecord { entry in
            records.append(entry)
            return true
        }
        return records
    }
}
