import HookLogCore
@testable import HookLogStore
import HookLogTestSupport
import Testing

/// Issue #3 in the store: queues longer than their window page from the `by_webhook` index, and the live state, the
/// rebuilt state and the checkpoint plus tail still agree.
@Suite("Queue windows in the store")
struct QueueWindowStoreTests {
    /// The standard policy with another error limit.
    static func policy(errorLimit: Int) -> DeliveryPolicy {
        var policy = DeliveryPolicy.standard
        policy.errorLimit = errorLimit
        return policy
    }

    /// The log read back through the public index queries, for folding a state outside the store.
    struct IndexedLog: QueuedDeliverySource {
        let reader: LogReader

        func forEachRecord(concerning webhookID: WebhookID, from sequence: UInt64, _ body: (LoggedRecord) -> Bool) throws {
            for entry in try reader.records(ofWebhook: webhookID) where entry.sequence >= sequence {
                guard body(entry) else { return }
            }
        }
    }

    @Test("with a window of 3, live state equals the rebuilt state and checkpoint plus tail", arguments: 1...4)
    func rebuildEqualsLiveWithASmallWindow(seed: UInt64) async throws {
        try await withTemporaryDirectory { directory in
            var options = LogStore.Options()
            options.queueWindow = 3
            options.checkpointInterval = 250
            let store = try LogStore(directory: directory, options: options)
            var simulation = Simulation(workspaces: 3, webhooks: 8, events: 600, failureRate: 0.3, seed: seed)
            simulation.batchSize = 97
            var simulator = Simulator(simulation)
            let summary = try await simulator.run(into: store)
            #expect(summary.recordTypes["WebhookDisabled", default: 0] > 0)

            var folded = HookLogState(queueWindow: 3)
            var longestQueue = 0
            for entry in try await store.reader.records(after: 0, limit: .max) {
                try folded.evolve(entry, refillingFrom: IndexedLog(reader: store.reader))
                for queue in folded.queues.values {
                    longestQueue = max(longestQueue, queue.count)
                    #expect(queue.pending.count <= 3)
                }
            }
            #expect(longestQueue > 3 * 3, "queues outgrew the window many times over")
            #expect(folded == summary.state)

            let report = try Rebuild.verify(store.reader, policy: .standard, queueWindow: 3)
            #expect(report.differences == [])
            #expect(report.state == summary.state)
            #expect(report.checkpointSequence > 0)
            await store.close()

            let reopened = try LogStore(directory: directory, options: options)
            #expect(reopened.writerState == summary.state)
            await reopened.close()
        }
    }

    @Test("a checkpoint taken under another window is not reused: the reopened store folds the log under its own")
    func aCheckpointOfAnotherWindowIsNotReused() async throws {
        try await withTemporaryDirectory { directory in
            var options = LogStore.Options()
            options.queueWindow = 3
            options.checkpointInterval = 100
            let store = try LogStore(directory: directory, options: options)
            var simulator = Simulator(Simulation(workspaces: 2, webhooks: 4, events: 300, failureRate: 0.3, seed: 5))
            _ = try await simulator.run(into: store)
            await store.close()

            options.queueWindow = 5
            let reopened = try LogStore(directory: directory, options: options)
            let replayed = try Rebuild.replay(reopened.reader, policy: .standard, queueWindow: 5)
            #expect(reopened.writerState == replayed.state)
            #expect(reopened.withState(\.queueWindow) == 5)
            await reopened.close()
        }
    }

    @Test("10,000 deliveries queued to one webhook keep 8 in RAM; one disable record skips them all, one enable recovers them")
    func tenThousandQueuedKeepAWindowInRAM() async throws {
        try await withTemporaryDirectory { directory in
            var options = LogStore.Options()
            options.policy = Self.policy(errorLimit: 1)
            options.queueWindow = 8
            options.checkpointInterval = 4_000
            let story = StoreStory(try LogStore(directory: directory, options: options))
            let workspace = try await story.createWorkspace()
            let webhook = try await story.createWebhook(in: workspace)
            let event = IncomingEvent(workspaceID: workspace, type: .contactCreated, data: Array(#"{"n":1}"#.utf8))
            for _ in 0..<20 {
                _ = try await story.store.execute(Array(repeating: .receiveEvent(event), count: 500), at: story.now)
            }
            let queue = try #require(story.store.writerState.queues[webhook])
            #expect(queue.pending.count == 8)
            #expect(queue.count == 10_000)
            let queued = try story.store.reader.records(ofWebhook: webhook).flatMap { entry in
                entry.record.fact.eventReceivedDeliveries
            }
            #expect(queued.count == 10_000)

            for _ in 0..<5 {
                let head = try #require(story.store.withState { $0.queues[webhook]?.head })
                _ = try await story.store.execute(.recordAttempt(AttemptReport(
                    webhookID: webhook, deliveryID: head.reference.deliveryID, startedAt: story.now,
                    durationMilliseconds: 10, outcome: .status(200), responseSnippet: "")), at: story.now)
            }
            #expect(story.store.writerState.queues[webhook]?.pending.map(\.reference.deliveryID) == Array(queued[5..<12]))
            #expect(story.store.withState { $0.queues[webhook]?.pending.map(\.reference.deliveryID) } == [queued[5]],
                    "readers see the head")
            #expect(story.store.withState { $0.queues[webhook]?.count } == 10_000 - 5)

            var disables: [WebhookDisabled] = []
            for _ in 0..<2 {
                let head = try #require(story.store.withState { $0.queues[webhook]?.head })
                let records = try await story.store.execute(.recordAttempt(AttemptReport(
                    webhookID: webhook, deliveryID: head.reference.deliveryID, startedAt: story.now,
                    durationMilliseconds: 10, outcome: .status(500), responseSnippet: "")), at: story.now)
                disables += records.compactMap { entry in
                    if case .webhookDisabled(let fact) = entry.record.fact { fact } else { nil }
                }
            }
            #expect(disables.map(\.skippedDeliveries) == [10_000 - 5])
            #expect(story.store.withState { $0.queues[webhook]?.count } == 0)
            #expect(story.store.writerState.queues[webhook]?.skipped.count == 7, "the skipped beyond the window stay in the log")
            let page = try story.store.reader.deliveries(ofWebhook: webhook, matching: DeliveryQuery(limit: 500))
            #expect(page.deliveries.map(\.deliveryID) == Array(queued.suffix(500).reversed()))
            #expect(page.deliveries.allSatisfy { $0.state == .skipped })

            _ = try await story.store.execute(.enableWebhook(webhook, recover: true), at: story.now)
            #expect(story.store.writerState.queues[webhook]?.pending.map(\.reference.deliveryID) == Array(queued[5..<12]))
            #expect(story.store.withState { $0.queues[webhook]?.count } == 10_000 - 5)
            let last = try #require(try story.store.reader.delivery(queued[9_999]))
            #expect(last.state == .queued, "an enable that recovers queues every skipped delivery again")

            let report = try Rebuild.verify(story.store.reader, policy: options.policy, queueWindow: 8)
            #expect(report.differences == [])
            #expect(report.checkpointSequence > 0)
            await story.store.close()
        }
    }
}

extension Fact {
    /// The deliveries an `EventReceived` fans out, in order; none for other facts.
    fileprivate var eventReceivedDeliveries: [DeliveryID] {
        if case .eventReceived(let fact) = self { fact.deliveries.map(\.deliveryID) } else { [] }
    }
}
