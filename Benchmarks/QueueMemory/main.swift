import Foundation
import HookLogCore

/// Memory: the resident memory a queue of 1,000,000 deliveries across 1,000 webhooks costs in ``HookLogState``,
/// the live projections the service keeps in RAM. Records are made one at a time and folded with the same
/// `evolve` the store runs, so only the projections stay resident.
///
///     QueueMemory [deliveries] [webhooks] [fanout]
///
/// With fanout 1 (the default) every event goes to one webhook, so each queued delivery carries its own event id;
/// with fanout equal to the webhook count, one event goes to every webhook (a platform-wide burst) and the
/// deliveries share their event's id. Queues keep only their policy's window in RAM (512 deliveries per webhook by
/// default) and count the rest, which stay in the log. Prints one JSON object: resident bytes before and after the
/// fold, the peak (VmHWM), how many deliveries the windows hold, bytes per queued delivery and per delivery held in
/// RAM, and the inline size of one `QueuedDelivery` in its queue's buffer (the floor, were its ids not separate heap
/// strings).
let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let deliveryCount = arguments.count > 0 ? arguments[0] : 1_000_000
let webhookCount = arguments.count > 1 ? arguments[1] : 1_000
let fanout = min(webhookCount, arguments.count > 2 ? arguments[2] : 1)
let workspaceCount = max(1, webhookCount / 10)

/// Reads `/proc/self/status` fields such as `VmRSS` and `VmHWM`, in bytes.
func statusBytes(_ field: String) -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
        let kilobytes = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
        return kilobytes * 1024
    }
    return 0
}

var ids = IdentifierSource(SeededGenerator(seed: 3))
var state = HookLogState(policy: .standard)
var sequence: UInt64 = 0
let at = Timestamp(seconds: 1_767_225_600)
@MainActor func fold(_ fact: Fact) {
    sequence += 1
    state.evolve(LoggedRecord(sequence: sequence, record: Record(at: at, fact)))
}

var webhooks: [(WorkspaceID, WebhookID)] = []
for workspace in 0..<workspaceCount {
    let workspaceID: WorkspaceID = ids.next(at: at)
    fold(.workspaceCreated(WorkspaceCreated(
        workspaceID: workspaceID, name: "Workspace \(workspace)", plan: .enterprise, ownerEmail: "owner@ws\(workspace).example")))
    for index in 0..<(webhookCount / workspaceCount) {
        let webhookID: WebhookID = ids.next(at: at)
        fold(.webhookCreated(WebhookCreated(
            webhookID: webhookID, workspaceID: workspaceID, url: "https://receiver.example/\(workspace)/\(index)",
            events: [.messageReceived], secret: ids.nextSecret())))
        webhooks.append((workspaceID, webhookID))
    }
}
let data = Array(#"{"message":{"text":"hello"}}"#.utf8)
let before = statusBytes("VmRSS")

var queued = 0
var next = 0
while queued < deliveryCount {
    let first = webhooks[next % webhooks.count]
    let targets = (0..<min(fanout, deliveryCount - queued)).map { webhooks[(next + $0) % webhooks.count] }
    next += targets.count
    fold(.eventReceived(EventReceived(
        eventID: ids.next(at: at), workspaceID: first.0, type: .messageReceived, occurredAt: at, data: data, idempotencyKey: nil,
        deliveries: targets.map { EventReceived.Fanout(deliveryID: ids.next(at: at), webhookID: $0.1) })))
    queued += targets.count
}

let after = statusBytes("VmRSS")
let inQueues = state.queues.values.reduce(0) { $0 + $1.count }
precondition(inQueues == deliveryCount, "expected \(deliveryCount) queued deliveries, found \(inQueues)")
let inRAM = state.queues.values.reduce(0) { $0 + $1.pending.count }
let perDelivery = Double(after - before) / Double(deliveryCount)
let perDeliveryInRAM = Double(after - before) / Double(inRAM)
print(#"{"deliveries":\#(deliveryCount),"in_ram":\#(inRAM),"inline_bytes":\#(MemoryLayout<QueuedDelivery>.stride),"webhooks":\#(webhooks.count),"fanout":\#(fanout),"rss_before":\#(before),"rss_after":\#(after),"peak_rss":\#(statusBytes("VmHWM")),"bytes_per_delivery":\#(String(format: "%.1f", perDelivery)),"bytes_per_delivery_in_ram":\#(String(format: "%.1f", perDeliveryInRAM))}"#)
