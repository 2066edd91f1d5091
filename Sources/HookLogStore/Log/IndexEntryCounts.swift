import HookLogCore

/// How many entries each of the log's databases should hold, counted while replaying the log: one per record in
/// `log` and `by_time`, one per key ``IndexKeys`` gives in each named index, and one per key ``ValueIndex`` gives in the
/// search index.
struct IndexEntryCounts {
    var log = 0
    var byTime = 0
    var byWebhook = 0
    var byEvent = 0
    var byWorkspace = 0
    var byDelivery = 0
    var byIdempotencyKey = 0
    var byQueue = 0
    var byValue = 0

    /// Counts one record with its index keys, and with ``IndexKeys/formerEvents`` when an older format wrote the
    /// record's entries (``LogDatabases/formerEventEntriesThrough``); the search index's keys are counted apart
    /// (``SearchKeyCounter``) and set in ``byValue``.
    mutating func add(_ keys: IndexKeys, withFormerEvents: Bool) {
        log += 1
        byTime += 1
        byWebhook += keys.webhooks.count
        byEvent += withFormerEvents ? Set(keys.events + keys.formerEvents).count : keys.events.count
        byWorkspace += keys.workspaces.count
        byDelivery += keys.deliveries.count
        byIdempotencyKey += keys.idempotencyKeys.count
        byQueue += keys.queues.count
    }

    /// The count for a database named as ``LogReader/databaseCounts(in:after:)`` names it; nil for another name.
    func entries(ofDatabase name: String) -> Int? {
        switch name {
        case "log": log
        case "by_time": byTime
        case "by_webhook": byWebhook
        case "by_event": byEvent
        case "by_workspace": byWorkspace
        case "by_delivery": byDelivery
        case "by_idempotency_key": byIdempotencyKey
        case "by_queue": byQueue
        case "by_value": byValue
        default: nil
        }
    }
}
