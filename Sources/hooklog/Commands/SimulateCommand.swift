import ArgumentParser
import Foundation
import HookLogCore
import HookLogStore

/// `hooklog simulate`: writes a realistic, deterministic history without a server.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Write a deterministic simulated history (events, attempts, retries, drops, disables, enables) into an empty data directory.")

    @OptionGroup var data: DataOptions
    @Option(help: "Workspaces to create.") var workspaces = 10
    @Option(help: "Webhooks to create.") var webhooks = 50
    @Option(help: "Events to ingest.") var events = 10_000
    @Option(help: "Chance that an attempt to a healthy endpoint fails (0 to 1).") var failureRate = 0.002
    @Option(help: "Seed: the same seed writes the same history.") var seed: UInt64 = 1
    @Option(help: "Compact the history as it goes, keeping this much virtual time of it: a number with d, h, m or s, or 'forever'.")
    var retention = "forever"
    @Option(help: "With --retention, where compaction archives the records it removes.") var archive: String?

    func validate() throws {
        guard workspaces > 0, webhooks >= 0, events >= 0 else {
            throw ValidationError("--workspaces must be at least 1, --webhooks and --events at least 0")
        }
        guard (0...1).contains(failureRate) else { throw ValidationError("--failure-rate must be between 0 and 1") }
        guard ServeCommand.retention(retention) != nil else {
            throw ValidationError("--retention '\(retention)' is not a number with d, h, m or s, nor 'forever'")
        }
        if archive != nil, ServeCommand.retention(retention) == .forever {
            throw ValidationError("--archive takes what compaction removes; add --retention")
        }
    }

    func run() async throws {
        var options = LogStore.Options()
        options.archive = archive
        // One checkpoint, as the store closes: a checkpoint taken while the simulator goes on changing the state
        // holds a second copy of each dictionary it changes until encoded, and a history interrupted halfway is
        // folded from its first record just as well.
        options.checkpointInterval = .max
        options.publishesState = false
        let store = try LogStore(directory: data.data, options: options)
        let existing = store.withState(\.lastSequence)
        guard existing == 0 else {
            await store.close()
            throw ValidationError("simulate writes into an empty data directory, and \(data.data) holds \(existing) records")
        }
        let clock = ContinuousClock()
        let start = clock.now
        var simulation = Simulation(
            workspaces: workspaces, webhooks: webhooks, events: events, failureRate: failureRate, seed: seed)
        simulation.retention = ServeCommand.retention(retention)?.duration
        simulation.compactionChance = min(1, 100 / Double(max(events, 1)))
        var simulator = Simulator(simulation)
        let summary: SimulationSummary
        do {
            summary = try await simulator.run(into: store)
        } catch {
            await store.close()
            throw error
        }
        await store.close()
        let seconds = Double((clock.now - start).wholeMilliseconds) / 1000
        let rate = seconds > 0 ? Int(Double(summary.records) / seconds) : summary.records
        print("appended \(summary.records) records in \(String(format: "%.3f", seconds)) s (\(rate) records/s, durable)")
        print("virtual time \(summary.virtualStart.rfc3339) to \(summary.virtualEnd.rfc3339)")
        if simulation.retention != nil { print("compaction removed \(summary.compacted) of them") }
        for (type, count) in summary.recordTypes.sorted(by: { $0.key < $1.key }) {
            print("  \(type) \(count)")
        }
    }
}
