import HookLogCore

/// A scenario's log kept in an array, read back as a queue's window needs it.
struct RecordedLog: QueuedDeliverySource {
    var records: [LoggedRecord]

    func forEachRecord(concerning webhookID: WebhookID, from sequence: UInt64, _ body: (LoggedRecord) -> Bool) {
        for entry in records where entry.sequence >= sequence {
            guard body(entry) else { return }
        }
    }
}
