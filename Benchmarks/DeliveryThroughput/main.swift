import Foundation
import HookLogCore
import HookLogDelivery
import HookLogStore
import HookLogTestSupport

/// Delivery throughput: a burst of events to many webhooks on a loopback receiver that answers 204 at once,
/// delivered by the real engine on the wall clock. Reports delivered events/s and the latency from the event's
/// durable append to its 2xx being recorded, read back from the log's own timestamps.
///
///     swift run -c release --package-path Benchmarks DeliveryThroughput [webhooks] [events] [concurrency] [events/s]
///
/// Without a rate the events arrive as one burst (throughput); with one, they arrive paced in tenths of a second
/// (latency at that load).
let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let webhookCount = arguments.count > 0 ? arguments[0] : 1_000
let eventCount = arguments.count > 1 ? arguments[1] : 100_000
let concurrency = arguments.count > 2 ? arguments[2] : 256
let rate = arguments.count > 3 ? arguments[3] : nil

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hooklog-bench-\(UUID().uuidString)").path
defer { try? FileManager.default.removeItem(atPath: directory) }
let clock = WallClock()
let store = try LogStore(directory: directory)
let receiver = try await TestReceiver.start()

var workspaces: [WorkspaceID] = []
for index in 0..<webhookCount {
    let created = try await store.execute(
        .createWorkspace(name: "Bench \(index)", plan: .enterprise, ownerEmail: "owner\(index)@bench.example"), at: clock.now)
    guard case .workspaceCreated(let workspace) = created[0].record.fact else { fatalError("no workspace") }
    _ = try await store.execute(
        .createWebhook(workspace.workspaceID, url: receiver.url("/wh/\(index)"), events: [.messageReceived]), at: clock.now)
    workspaces.append(workspace.workspaceID)
}

let sender = HTTPSender(clock: clock)
let engine = DeliveryEngine(
    store: store, sender: sender, notifications: NotificationSettings(smtp: nil, publicURL: "http://127.0.0.1:8080"),
    clock: clock, concurrency: concurrency)
let running = Task { await engine.run() }
let firstSequence = try store.reader.lastSequence()

let started = ContinuousClock.now
let data = Array(#"{"conversation":{"id":"c_1"},"message":{"text":"Hello from the benchmark"}}"#.utf8)
let batchSize = rate.map { max(1, $0 / 10) } ?? 1_000
for (round, batchStart) in stride(from: 0, to: eventCount, by: batchSize).enumerated() {
    if rate != nil { try await Task.sleep(until: started.advanced(by: .milliseconds(100 * round)), clock: .continuous) }
    let commands = (batchStart..<min(batchStart + batchSize, eventCount)).map { index in
        Command.receiveEvent(IncomingEvent(workspaceID: workspaces[index % webhookCount], type: .messageReceived, data: data))
    }
    _ = try await store.execute(commands, at: clock.now)
}
let ingested = ContinuousClock.now
while store.withState({ state in state.queues.values.contains { $0.head != nil } }) {
    try await Task.sleep(for: .milliseconds(20))
}
let finished = ContinuousClock.now
running.cancel()
await running.value
try await sender.shutdown()

var receivedAt: [DeliveryID: Timestamp] = [:]
var latencies: [Int64] = []
var failures = 0
try store.reader.forEachRecord(after: firstSequence) { entry in
    switch entry.record.fact {
    case .eventReceived(let event):
        for fanout in event.deliveries { receivedAt[fanout.deliveryID] = entry.record.at }
    case .attemptSucceeded(let success):
        if let appended = receivedAt.removeValue(forKey: success.deliveryID) {
            latencies.append(entry.record.at.milliseconds - appended.milliseconds)
        }
    case .attemptFailed:
        failures += 1
    default:
        break
    }
    return true
}
await store.close()
try await receiver.stop()

latencies.sort()
let sorted = latencies
func percentile(_ p: Double) -> Int64 { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
func inSeconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}
let seconds = inSeconds(finished - started)
let ingestSeconds = inSeconds(ingested - started)
print("webhooks \(webhookCount), events \(eventCount), concurrency \(concurrency), " + (rate.map { "paced at \($0) events/s" } ?? "one burst"))
print(String(format: "ingested in %.2f s (%.0f events/s, durable)", ingestSeconds, Double(eventCount) / ingestSeconds))
print(String(format: "delivered %d in %.2f s: %.0f deliveries/s; failed attempts %d", latencies.count, seconds, Double(latencies.count) / seconds, failures))
print("append -> 2xx recorded: p50 \(percentile(0.5)) ms, p99 \(percentile(0.99)) ms, p999 \(percentile(0.999)) ms, max \(latencies.last ?? 0) ms")
