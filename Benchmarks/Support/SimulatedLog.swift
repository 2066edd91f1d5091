import Foundation
import HookLogStore

/// A log simulated with ``Simulator`` as `hooklog simulate` writes it (by default 10 workspaces and 50 webhooks, seed
/// 1, about 3.49 records per event), written on first use into `HOOKLOG_BENCH_LOG`, or a folder under the temporary
/// directory, and reused while a complete one of the same shape is there.
public struct SimulatedLog: Sendable {
    /// How many events the simulation sends.
    public let events: Int
    /// How many workspaces it creates.
    public let workspaces: Int
    /// How many webhooks it creates, spread over the workspaces.
    public let webhooks: Int
    /// The log's data directory.
    public let directory: String

    /// The log of `events` events to `webhooks` webhooks in `workspaces` workspaces.
    public init(events: Int, workspaces: Int = 10, webhooks: Int = 50) {
        self.events = events
        self.workspaces = workspaces
        self.webhooks = webhooks
        let root = ProcessInfo.processInfo.environment["HOOKLOG_BENCH_LOG"]
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("hooklog-bench-logs").path
        let shape = workspaces == 10 && webhooks == 50 ? "" : "-\(workspaces)-workspaces-\(webhooks)-webhooks"
        directory = root + "/simulated-\(events)-events" + shape
    }

    /// Simulates the log unless a complete one is there: the marker file is written only after the store closed.
    public func prepare() async throws {
        let marker = directory + "/.complete"
        if FileManager.default.fileExists(atPath: marker) { return }
        try? FileManager.default.removeItem(atPath: directory)
        let store = try LogStore(directory: directory)
        var simulator = Simulator(Simulation(workspaces: workspaces, webhooks: webhooks, events: events, failureRate: 0.002, seed: 1))
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
