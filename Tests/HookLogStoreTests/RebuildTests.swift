import HookLogCore
@testable import HookLogStore
import HookLogTestSupport
import Testing

/// Serialized: its seeded histories would otherwise take both cores for a minute, and starve the suites that wait in
/// real time for an engine or a server.
@Suite("Rebuilding from the log", .serialized)
struct RebuildTests {
    /// A small, failure-heavy simulation, so that retries, drops, disables, e-mails and enables all happen.
    func simulation(seed: UInt64, events: Int = 600) -> Simulation {
        var simulation = Simulation(workspaces: 3, webhooks: 8, events: events, failureRate: 0.35, seed: seed)
        simulation.batchSize = 97
        return simulation
    }

    /// Seeds 1 to 20 at 5,000 events each: with the simulator's own scheduling, seed 5 once asked to record an
    /// e-mail that was not pending (a webhook disabled again while its first e-mail still failed got two timers);
    /// the simulator now plans with the service's ``DeliveryPlanner``, which keeps one job per e-mail.
    @Test("every simulated history completes, and live equals rebuilt equals checkpoint plus tail", arguments: 1...20)
    func rebuildEqualsLive(seed: UInt64) async throws {
        try await withTemporaryDirectory { directory in
            var options = LogStore.Options()
            options.checkpointInterval = 2_500
            let store = try LogStore(directory: directory, options: options)
            var simulator = Simulator(simulation(seed: seed, events: 5_000))
            let summary = try await simulator.run(into: store)
            #expect(store.withState { $0 } == summary.state.readerView(), "readers were published every change")
            _ = try await store.execute(.createWorkspace(name: "Tail", plan: .growth, ownerEmail: "tail@example.com"), at: summary.virtualEnd)
            let live = store.writerState
            #expect(summary.recordTypes["WebhookDisabled", default: 0] > 0)
            #expect(summary.recordTypes["DeliveryDropped", default: 0] > 0)

            let report = try Rebuild.verify(store.reader, policy: .standard)
            #expect(report.differences == [])
            #expect(report.state == live)
            #expect(report.records == summary.records + 1)
            #expect(report.checkpointSequence > 0)
            #expect(report.checkpointSequence <= UInt64(summary.records))
            await store.close()

            let reopened = try LogStore(directory: directory, options: options)
            #expect(reopened.writerState == live)
            await reopened.close()
        }
    }

    @Test("the same seed writes the same log")
    func deterministic() async throws {
        var logs: [[LoggedRecord]] = []
        for _ in 0..<2 {
            try await withTemporaryDirectory { directory in
                let store = try LogStore(directory: directory)
                var simulator = Simulator(simulation(seed: 42))
                _ = try await simulator.run(into: store)
                logs.append(try await store.reader.records(after: 0, limit: .max))
                await store.close()
            }
        }
        #expect(logs[0] == logs[1])
        #expect(logs[0].count > 1000)
    }

    @Test("written as `hooklog simulate` writes, without a readers' view and checkpointed only as it closes, the log is the same and reopens whole")
    func simulateCommandsStore() async throws {
        let expected = try await withTemporaryDirectory { directory in
            let store = try LogStore(directory: directory)
            var simulator = Simulator(simulation(seed: 42))
            _ = try await simulator.run(into: store)
            let records = try await store.reader.records(after: 0, limit: .max)
            await store.close()
            return records
        }
        try await withTemporaryDirectory { directory in
            var options = LogStore.Options()
            options.publishesState = false
            options.checkpointInterval = .max
            let store = try LogStore(directory: directory, options: options)
            var simulator = Simulator(simulation(seed: 42))
            let summary = try await simulator.run(into: store)
            #expect(try await store.reader.records(after: 0, limit: .max) == expected)
            #expect(store.withState(\.lastSequence) == 0, "readers see the state as the store was opened")
            #expect(try Rebuild.verify(store.reader, policy: .standard).checkpointSequence == 0)
            await store.close()

            let reopened = try LogStore(directory: directory)
            let report = try Rebuild.verify(reopened.reader, policy: .standard)
            #expect(report.differences == [])
            #expect(report.checkpointSequence == UInt64(summary.records), "one checkpoint, taken as the store closed")
            #expect(reopened.writerState == summary.state)
            #expect(reopened.withState(\.lastSequence) == UInt64(summary.records))
            await reopened.close()
        }
    }

    @Test("a webhook's history read through the index equals the history folded from the whole log")
    func historyThroughIndexes() async throws {
        try await withTemporaryDirectory { directory in
            let store = try LogStore(directory: directory)
            var simulator = Simulator(simulation(seed: 7))
            let summary = try await simulator.run(into: store)
            let everything = try await store.reader.records(after: 0, limit: .max)
            for webhookID in summary.state.webhooks.keys.sorted().prefix(3) {
                var expected = DeliveryHistory(of: .webhook(webhookID))
                for entry in everything { expected.apply(entry) }
                let indexed = try store.reader.history(of: .webhook(webhookID))
                #expect(indexed == expected)
                #expect(!indexed.deliveries.isEmpty)
                let event = try #require(indexed.deliveries.last?.eventID)
                var expectedEvent = DeliveryHistory(of: .event(event))
                for entry in everything { expectedEvent.apply(entry) }
                #expect(try store.reader.history(of: .event(event)) == expectedEvent)
            }
            await store.close()
        }
    }

    @Test("a backup taken while the store is open verifies and holds every record")
    func backup() async throws {
        try await withTemporaryDirectory { directory in
            let store = try LogStore(directory: directory + "/data")
            var simulator = Simulator(simulation(seed: 3))
            let summary = try await simulator.run(into: store)
            try store.reader.backup(to: directory + "/backup")
            await store.close()
            let copy = try LogReader(directory: directory + "/backup")
            #expect(try copy.lastSequence() == UInt64(summary.records))
            let report = try Rebuild.verify(copy, policy: .standard)
            #expect(report.differences == [])
            #expect(report.state == summary.state)
        }
    }

    @Test("verify reads one snapshot: a writer appending meanwhile causes no false difference")
    func verifyWhileAppending() async throws {
        try await withTemporaryDirectory { directory in
            var options = LogStore.Options()
            options.checkpointInterval = 50
            let store = try LogStore(directory: directory, options: options)
            var simulator = Simulator(simulation(seed: 11))
            let summary = try await simulator.run(into: store)
            let appender = Task {
                for index in 0..<300 {
                    _ = try await store.execute(
                        .createWorkspace(name: "Busy \(index)", plan: .growth, ownerEmail: "busy@example.com"),
                        at: summary.virtualEnd)
                }
            }
            var verified = 0
            while !appender.isCancelled, verified < 20 {
                let report = try Rebuild.verify(store.reader, policy: .standard)
                #expect(report.differences == [])
                verified += 1
            }
            try await appender.value
            #expect(try Rebuild.verify(store.reader, policy: .standard).differences == [])
            await store.close()
        }
    }
}
