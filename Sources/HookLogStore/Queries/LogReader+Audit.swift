public import HookLogCore

extension LogReader {
    /// The audit (``AuditReport``) of one webhook's records, or of the whole log when `webhookID` is nil, counting
    /// the records from `since` to `until` (either end open when nil). A webhook's audit reads its index; the whole
    /// log's reads from the first record at or after `since`.
    public func audit(ofWebhook webhookID: WebhookID?, since: Timestamp?, until: Timestamp?) throws -> AuditReport {
        var report = AuditReport(since: since)
        let counts = { (entry: LoggedRecord) in until.map { entry.record.at <= $0 } ?? true }
        if let webhookID {
            for entry in try records(ofWebhook: webhookID) where counts(entry) { report.apply(entry.record) }
            return report
        }
        guard let start = try since.map({ try firstSequence(atOrAfter: $0) }) ?? 1 else { return report }
        try forEachRecord(after: start - 1) { entry in
            if counts(entry) { report.apply(entry.record) }
            return true
        }
        return report
    }
}
