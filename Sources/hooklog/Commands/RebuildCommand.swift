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
    @Flag(help: "Compare the rebuilt projections with the checkpoint plus tail and the indexes; exit 1 on any difference.")
    var verify = false
    @Option(help: "The archive compaction wrote: with --verify, also replay from the very first record, archived records merged with the log's, and compare.")
    var archive: String?

    func validate() throws {
        if archive != nil, !verify { throw ValidationError("--archive is read by --verify; add --verify") }
    }

    func run() async throws {
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
        let seconds = Double((clock.now - start).wholeMilliseconds) / 1000
        let rate = seconds > 0 ? Int(Double(records) / seconds) : records
        print("rebuilt \(records) records in \(String(format: "%.3f", seconds)) s (\(rate) records/s)")
        if let archive {
            let report = try Rebuild.verify(reader, archive: ArchiveReader(directory: archive), policy: policy, queueWindow: queueWindow)
            differences += report.differences
            if report.differences.isEmpty {
                print("verified: the \(report.records) records of the archive and the log, replayed from the first, give the live projections")
            }
        }
        guard verify else { return }
        if differences.isEmpty {
            let start = baseSequence == 0 ? "the first record" : "the base snapshot at sequence \(baseSequence)"
            print("verified: replayed from \(start), projections equal the checkpoint at sequence \(checkpointSequence) plus \(baseSequence + UInt64(records) - checkpointSequence) records of tail; index sizes match the log")
        } else {
            for difference in differences { print("DIFFERENCE \(difference)") }
            throw ExitCode(1)
        }
    }
}
