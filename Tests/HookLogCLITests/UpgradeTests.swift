import Foundation
import HookLogCore
import HookLogStore
import Testing

/// A data directory written by an older HookLog opens with today's, every record reads as it did, and the log
/// keeps growing from there. `Tests/Fixtures/data-6b30aea` was written at commit 6b30aea (record format 1, one
/// `DeliverySkipped` per skipped delivery, event types by index, a JSON checkpoint); `data-6b30aea.jsonl` is what
/// that build's `hooklog log --json` printed for it.
@Suite("Upgrading an old data directory")
struct UpgradeTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hooklog-upgrade-\(UUID().uuidString)").path
    var data: String { directory + "/data" }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// A private copy of the fixture, so that no test changes the committed one.
    func copyFixture() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.fixtures.appendingPathComponent("data-6b30aea").path, toPath: data)
    }

    @Test("a data directory from 6b30aea verifies, reads record for record as it did, and takes new writes")
    func openDataFrom6b30aea() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try copyFixture()

        let verify = try HookLogBinary.run("--data", data, "rebuild", "--verify")
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("rebuilt 397 records"), "\(verify.stdout)")
        #expect(verify.stdout.contains("the checkpoint at sequence 397 plus 0 records"), "its version 1 checkpoint is read")

        let log = try HookLogBinary.run("--data", data, "log", "--limit", "1000000", "--json")
        #expect(log.status == 0, "\(log.stderr)")
        let expected = try String(contentsOf: Self.fixtures.appendingPathComponent("data-6b30aea.jsonl"), encoding: .utf8)
        #expect(log.lines == expected.split(separator: "\n").map(String.init), "every old record reads as 6b30aea printed it")
        #expect(log.lines.contains { $0.contains(#""type":"DeliverySkipped""#) })
        #expect(log.lines.contains { $0.contains(#""idempotency_key":"fixture-request-1""#) })

        let disabled = try #require(log.lines.first { $0.contains(#""type":"WebhookDisabled""#) }
            .flatMap { $0.firstMatch(of: /"webhook_id":"(wh_[a-z0-9]+)"/)?.1 })
        let history = try HookLogBinary.run("--data", data, "history", "--webhook", String(disabled))
        #expect(history.status == 0, "\(history.stderr)")
        #expect(history.lines.contains { $0.hasPrefix("dlv_") && $0.contains(" skipped ") }, "\(history.stdout)")
        #expect(history.lines.contains { $0.hasPrefix("dlv_") && $0.contains(" succeeded ") }, "\(history.stdout)")

        let created = try HookLogBinary.run(
            "--data", data, "workspace", "create", "--name", "After upgrade", "--plan", "advanced",
            "--owner-email", "owner@upgrade.example")
        #expect(created.status == 0, "\(created.stderr)")
        let reverify = try HookLogBinary.run("--data", data, "rebuild", "--verify")
        #expect(reverify.status == 0, "\(reverify.stdout)\(reverify.stderr)")
        #expect(reverify.stdout.contains("rebuilt 399 records"), "\(reverify.stdout)")
    }

    @Test("the data directory from 6b30aea, its old-shaped skips and recoveries included, compacts to a state its archive replays")
    func compactDataFrom6b30aea() async throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try copyFixture()
        var options = LogStore.Options()
        options.archive = directory + "/archive"
        let store = try LogStore(directory: data, options: options)
        let before = try store.reader.records(after: 0, limit: .max).count
        let later = Timestamp(seconds: 4_000_000_000)
        let report = try #require(try await store.compact(before: later, at: later))
        #expect(report.removed > before / 2, "\(report.removed) of \(before) records removed")
        #expect(try Rebuild.verify(store.reader, policy: .standard).differences == [])
        let replayed = try Rebuild.verify(store.reader, archive: ArchiveReader(directory: directory + "/archive"), policy: .standard)
        #expect(replayed.differences == [])
        #expect(replayed.records == before + 1, "every record, the cut included, replays from the first")
        await store.close()
    }
}
