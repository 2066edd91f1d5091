import ArgumentParser
import Foundation
import HookLogCore
import HookLogStore

/// `hooklog rebuild`: replays the whole log into fresh projections.
struct RebuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Replay the whole log into fresh projections; with --verify, compare them with the stored state and indexes.")

    @OptionGroup var data: DataOptions
    @OptionGroup var store: StoreOptions
    @Flag(help: "Compare the rebuilt projections with the checkpoint plus tail and the indexes; exit 1 on any difference.")
    var verify = false
    @Option(help: "The archive compaction wrote: with --verify, also replay from the very first record, archived records merged with the log's, and compare.")
    var archive: String?

    func validate() throws {
        if archive != nil, !verify { throw ValidationError("--archive is read by --verify; add --verify") }
    }

    func run() async throws {
        if try store.location() != nil, archive != nil {
            throw StartupError("--archive holds a data directory's compacted records, and a log in PostgreSQL has none")
        }
        let inDatabase = try await store.withDatabase { database in
            let clock = ContinuousClock()
            let start = clock.now
            // A log in PostgreSQL keeps no settings: it is folded under the standard policy, every queue whole.
            let (records, base, differences) = verify
                ? try await database.queries.verify(policy: .standard)
                : (Int(try await database.state(policy: .standard).lastSequence), 0, [])
            print(Self.rebuilt(records, in: clock.now - start))
            guard verify else { return }
            let span = base == 0 ? "records 1 to \(records)" : "the records after the base snapshot at sequence \(base)"
            try Self.report(differences, verified: "verified: \(span) with no gap, up to the head; index rows match the records")
        }
        if inDatabase { return }
        let reader = try data.reader()
        let (policy, queueWindow) = try reader.checkpointSettings() ?? (.standard, HookLogState.standardQueueWindow)
        let clock = ContinuousClock()
        let start = clock.now
        let records: Int
        var differences: [String] = []
        var (baseSequence, checkpointSequence): (UInt64, UInt64) = (0, 0)
        if verify {
            let report = try Rebuild.verify(reader, policy: policy, queueWindow: queueWindow)
            (records, differences) = (report.records, report.differences)
            (baseSequence, checkpointSequence) = (report.baseSequence, report.checkpointSequence)
        } else {
            records = try Rebuild.replay(reader, policy: policy, queueWindow: queueWindow).records
        }
        print(Self.rebuilt(records, in: clock.now - start))
        if let archive {
            let report = try Rebuild.verify(reader, archive: ArchiveReader(directory: archive), policy: policy, queueWindow: queueWindow)
            differences += report.differences
            if report.differences.isEmpty {
                print("verified: the \(report.records) records of the archive and the log, replayed from the first, give the live projections")
            }
        }
        guard verify else { return }
        let from = baseSequence == 0 ? "the first record" : "the base snapshot at sequence \(baseSequence)"
        try Self.report(differences, verified: "verified: replayed from \(from), projections equal the checkpoint at sequence \(checkpointSequence) plus \(baseSequence + UInt64(records) - checkpointSequence) records of tail; index sizes match the log")
    }

    /// The line that says how many records were replayed in `duration`, and how fast.
    private static func rebuilt(_ records: Int, in duration: Duration) -> String {
        let seconds = Double(duration.wholeMilliseconds) / 1000
        let rate = seconds > 0 ? Int(Double(records) / seconds) : records
        return "rebuilt \(records) records in \(String(format: "%.3f", seconds)) s (\(rate) records/s)"
    }

    /// Prints `verified` when there are no differences; else each difference, and exits 1. `verified` is only made
    /// when printed: its numbers hold only for a log that verifies.
    private static func report(_ differences: [String], verified: @autoclosure () -> String) throws {
        guard differences.isEmpty else {
            for difference in differences { print("DIFFERENCE \(difference)") }
            throw ExitCode(1)
        }
        print(verified())
    }
}
