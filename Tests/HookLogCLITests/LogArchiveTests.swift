import Foundation
@testable import HookLogStore
import Testing

@Suite("hooklog log --archive")
struct LogArchiveTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hooklog-archive-\(UUID().uuidString)").path
    var data: String { directory + "/data" }
    var archive: String { directory + "/archive" }

    /// Simulates a history into the data directory and returns what `hooklog log` prints of all of it.
    func simulate() throws -> HookLogBinary.Output {
        let simulated = try HookLogBinary.run(
            "simulate", "--data", data, "--workspaces", "2", "--webhooks", "4", "--events", "200",
            "--failure-rate", "0.3", "--seed", "7")
        #expect(simulated.status == 0, "\(simulated.stderr)")
        return try HookLogBinary.run("log", "--data", data, "--limit", "100000")
    }

    /// Archives the log's records up to sequence `last` into one segment, as compaction does before it removes them.
    func archive(through last: UInt64) throws -> String {
        var records: [ArchivedRecord] = []
        try LogReader(directory: data).forEachStoredRecord { record in
            guard record.sequence <= last else { return false }
            records.append(record)
            return true
        }
        return try #require(try ArchiveWriter(directory: archive).write(records: records))
    }

    @Test("with an archive that holds the log's first records, log prints each record once, in order")
    func archiveOfRecordsTheLogStillHolds() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let everything = try simulate()
        #expect(everything.lines.count > 400)
        _ = try archive(through: 150)

        let merged = try HookLogBinary.run("log", "--data", data, "--archive", archive, "--limit", "100000")
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout == everything.stdout)

        let page = ["--after", "140", "--limit", "20", "--json"]
        let mergedPage = try HookLogBinary.run(["log", "--data", data, "--archive", archive] + page)
        #expect(mergedPage.stdout == (try HookLogBinary.run(["log", "--data", data] + page)).stdout)
        #expect(mergedPage.lines.count == 20)
    }

    @Test("with an archive of records compaction removed from the log, log prints the whole history again")
    func archiveOfRecordsTheLogNoLongerHolds() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let everything = try simulate()
        _ = try archive(through: 150)
        let databases = try LogDatabases(directory: data, readOnly: false, mapSize: 1 << 20)
        try databases.environment.write { transaction in
            for sequence in UInt64(1)...150 { _ = try transaction.delete(LogKeys.sequence(sequence), in: databases.log) }
        }

        let compacted = try HookLogBinary.run("log", "--data", data, "--limit", "100000")
        #expect(compacted.lines.first?.hasPrefix("151 ") == true, "the log alone starts after what was removed")
        let merged = try HookLogBinary.run("log", "--data", data, "--archive", archive, "--limit", "100000")
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout == everything.stdout)

        let across = try HookLogBinary.run("log", "--data", data, "--archive", archive, "--after", "140", "--limit", "20")
        #expect(across.lines == Array(everything.lines[140..<160]))
    }

    @Test("a missing, unlistable or damaged archive is one line on stderr and a non-zero exit")
    func unusableArchive() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let created = try HookLogBinary.run(
            "workspace", "create", "--data", data, "--name", "Acme", "--plan", "starter", "--owner-email", "ops@acme.example")
        #expect(created.status == 0, "\(created.stderr)")
        let segment = try archive(through: 10)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: segment))
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: segment))

        let expected = [
            directory + "/nowhere": "archive directory \(directory)/nowhere does not exist",
            segment: "archive directory \(segment) is not a directory",
            archive: "\(segment) is corrupt: its checksum does not match its contents",
        ]
        for (path, message) in expected {
            let output = try HookLogBinary.run("log", "--data", data, "--archive", path)
            #expect(output.status != 0, "\(path)")
            #expect(output.stderr.split(separator: "\n").count == 1, "\(path): \(output.stderr)")
            #expect(output.stderr.contains(message), "\(path): \(output.stderr)")
            #expect(output.stdout.isEmpty, "\(path): nothing is printed before the archive is found unusable")
        }
    }
}
