import Foundation
import HookLogStore

/// A log simulated with ``Simulator`` as `hooklog simulate` writes it (10 workspaces, 50 webhooks, seed 1, about 3.49
/// records per event), written on first use into `HOOKLOG_BENCH_LOG`, or a folder under the temporary directory, and
/// reused while a complete one of as many events is there.
public struct SimulatedLog: Sendable {
    /// How many events the simulation sends.
    public let events: Int
    /// The log's data directory.
    public let directory: String

    /// The log of `events` events.
    public init(events: Int) {
        self.events = events
        let root = ProcessInfo.processInfo.environment["HOOKLOG_BENCH_LOG"]
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("hooklog-bench-logs").path
        directory = root + "/simulated-\(events)-events"
    }

    /// Simulates the log unless a complete one is there: the marker file is written only after the store closed.
    public func prepare() async throws {
        let marker = directory + "/.complete"
        if FileManager.default.fileExists(atPath: marker) { return }
        try? FileManager.default.removeItem(atPath: directory)
        let store = try LogStore(directory: directory)
        var simulator = Simulator(Simulation(workspaces: 10, webhooks: 50, events: events, failureRate: 0.002, seed: 1))
        do {
            _ = try await simulator.run(into: store)
        } catch {
            await store.close()
            throw error
        }
        await store.close()
        guard FileManager.default.createFile(atPath: marker, contents: Data()) else { throw CocoaError(.fileWriteUnknown) }
    }
}
