import Foundation
import HookLogTestSupport
import Testing

@Suite("Compaction on the command line")
struct CompactionCLITests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hooklog-compaction-\(UUID().uuidString)").path
    var data: String { directory + "/data" }
    var archive: String { directory + "/archive" }

    @Test("a compacted log verifies from its base, and with its archive from the very first record; log --archive shows it all")
    func compactedLogVerifies() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let simulated = try HookLogBinary.run(
            "simulate", "--data", data, "--workspaces", "3", "--webhooks", "6", "--events", "6000",
            "--failure-rate", "0.05", "--seed", "9", "--retention", "60s", "--archive", archive)
        #expect(simulated.status == 0, "\(simulated.stderr)")
        let appended = try #require(simulated.stdout.split(separator: " ").dropFirst().first.flatMap { Int($0) })
        let removed = try #require(simulated.stdout.components(separatedBy: "compaction removed ").last?.split(separator: " ").first.flatMap { Int($0) })
        #expect(removed > appended / 4, "\(simulated.stdout)")

        let rebuild = try HookLogBinary.run("rebuild", "--verify", "--data", data)
        #expect(rebuild.status == 0, "\(rebuild.stdout)\(rebuild.stderr)")
        #expect(rebuild.stdout.contains("verified: replayed from the base snapshot at sequence"))
        let fromFirst = try HookLogBinary.run("rebuild", "--verify", "--archive", archive, "--data", data)
        #expect(fromFirst.status == 0, "\(fromFirst.stdout)\(fromFirst.stderr)")
        #expect(fromFirst.stdout.contains("verified: the \(appended) records of the archive and the log, replayed from the first"))

        let kept = try HookLogBinary.run("log", "--data", data, "--limit", "1000000")
        let whole = try HookLogBinary.run("log", "--data", data, "--archive", archive, "--limit", "1000000")
        #expect(kept.lines.count == appended - removed)
        #expect(whole.lines.count == appended)
        #expect(whole.lines.first?.hasPrefix("1 ") == true)

        let firstEvent = try #require(whole.lines.first { $0.contains(" EventReceived ") }?
            .components(separatedBy: "event_id=").last?.split(separator: " ").first.map(String.init))
        let expired = try HookLogBinary.run("history", "--data", data, "--event", firstEvent)
        #expect(expired.status != 0)
        #expect(expired.stderr.contains("no deliveries found for \(firstEvent); history starts at "), "\(expired.stderr)")

        let segments = try FileManager.default.contentsOfDirectory(atPath: archive).filter { $0.hasSuffix(".hla") }
        #expect(!segments.isEmpty)
        for segment in segments {
            #expect(try FileManager.default.attributesOfItem(atPath: archive + "/" + segment)[.posixPermissions] as? Int == 0o600)
        }
    }

    @Test("archive options without what they need are one-line errors")
    func refusals() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let noRetention = try HookLogBinary.run("simulate", "--data", data, "--events", "10", "--archive", archive)
        #expect(noRetention.status != 0)
        #expect(noRetention.stderr.contains("--archive takes what compaction removes; add --retention"))
        let badRetention = try HookLogBinary.run("simulate", "--data", data, "--events", "10", "--retention", "3w")
        #expect(badRetention.status != 0)
        #expect(badRetention.stderr.contains("--retention '3w'"))
        let noVerify = try HookLogBinary.run("rebuild", "--data", data, "--archive", archive)
        #expect(noVerify.status != 0)
        #expect(noVerify.stderr.contains("--archive is read by --verify; add --verify"))
    }
}
