public import HookLogCore

extension LogReader {
    /// A page of a webhook's event log, newest first: its deliveries, redeliveries included, that match `query`, each
    /// with its attempts and current state, all read from one snapshot.
    ///
    /// The work is proportional to the page, not to the log: the scan goes back through the webhook's index from the
    /// cursor (or from the last record at or before `until`), or with a search text through the records the search
    /// index lists under it (``ValueIndex``), decodes only the records that create deliveries, stops at the first
    /// delivery created before `since`, and examines at most `scanLimit` records. Pages chained through
    /// ``DeliveryPage/nextCursor`` neither skip nor repeat a delivery while records are appended: deliveries created
    /// meanwhile come before the first page.
    public func deliveries(ofWebhook webhookID: WebhookID, matching query: DeliveryQuery) throws -> DeliveryPage {
        var paging = DeliveryPaging(of: webhookID, matching: query)
        return try databases.environment.read { transaction in
            let last = try query.until.flatMap { try lastSequence(atOrBefore: $0, in: transaction) }
            guard let start = paging.start(lastAtOrBeforeUntil: last) else { return paging.page }
            try forEachCandidate(of: webhookID, text: paging.text, from: start, in: transaction) { sequence in
                guard let entry = try record(at: sequence, in: transaction, if: RecordCodec.createsDeliveries) else {
                    return true
                }
                var delivery: DeliveryRecord?
                if let created = paging.admit(entry),
                   try paging.text.map({ try eventData(of: entry, holds: $0, in: transaction) }) ?? true {
                    delivery = try folded(created, from: entry, in: transaction)
                }
                return paging.include(delivery, at: sequence)
            }
            return paging.page
        }
    }

    /// Calls `body` with the sequence of each record that may create a delivery of the webhook, newest first, from
    /// `start` back, until it returns false: without a `text`, every record its index lists; with one, every record
    /// the search index lists under the text in the webhook's workspace, run by run (``ValueIndex``), which `body` must
    /// check, or, in an older directory opened read-only that has no search index, every record the webhook's index
    /// lists.
    private func forEachCandidate(
        of webhookID: WebhookID, text: [UInt8]?, from start: UInt64, in transaction: borrowing ReadTransaction,
        _ body: (UInt64) throws -> Bool
    ) throws {
        guard let text, let values = databases.values else {
            return try forEachSequence(
                listedUnder: IndexedName(webhookID), in: databases.byWebhook, from: start, reverse: true,
                in: transaction, body)
        }
        guard case .webhookCreated(let created)? = try firstRecord(concerning: webhookID, in: transaction)?.record.fact,
              let first = try transaction.firstEntry(in: values.database),
              let last = try transaction.lastEntry(in: values.database)
        else { return }
        let firstRun = ValueIndex.run(ofKey: first.key.withUnsafeBytes(LogKeys.number(from:)))
        var run = min(values.run(of: start), ValueIndex.run(ofKey: last.key.withUnsafeBytes(LogKeys.number(from:))))
        var going = true
        while going, run >= firstRun {
            let key = ValueIndex.key(of: text, in: created.workspaceID, run: run)
            try transaction.forEachDuplicate(
                of: LogKeys.number(key), in: values.database, from: LogKeys.sequence(start), reverse: true
            ) { value in
                going = try body(LogKeys.sequence(from: value))
                return going
            }
            if run == 0 { break }
            run -= 1
        }
    }

    /// Whether the data of the event `entry` (a record that creates deliveries) brings or delivers again holds `text`
    /// as the whole text of a value (``DataSearch``); false when the log no longer holds the event.
    private func eventData(
        of entry: LoggedRecord, holds text: [UInt8], in transaction: borrowing ReadTransaction
    ) throws -> Bool {
        let event = try ValueIndex.event(of: entry.record, log: databases.log, in: transaction)
        return event.map { DataSearch.data($0.data, holds: text) } ?? false
    }

    /// One delivery with its attempts and current state, read from one snapshot; nil when the log has none with this
    /// id.
    public func delivery(_ id: DeliveryID) throws -> DeliveryRecord? {
        try databases.environment.read { transaction in
            var found: DeliveryRecord?
            try forEachSequence(
                listedUnder: IndexedName(id), in: databases.byDelivery, from: 0, in: transaction
            ) { sequence in
                // The first record the index lists under a delivery is the one that created it.
                let creation = try record(at: sequence, in: transaction)
                found = try Self.deliveries(createdBy: creation, of: .delivery(id)).first.map { created in
                    try folded(created, from: creation, in: transaction)
                }
                return false
            }
            return found
        }
    }

    /// One page of the webhook's deliveries whose current state is dropped or skipped, and that were dropped or skipped
    /// at or after `since` (all of them when nil), in the order they were created: what
    /// ``Command/recoverDeliveries(_:_:)`` takes to queue them again. A delivery skipped by a disable after `since`
    /// counts however long it had been queued, so every delivery of the webhook is looked at: the page looks at the
    /// deliveries created by the records after `after` up to `through`, at most `limit` of them, in one snapshot, and
    /// says after which sequence the next page starts (nil once `through` is reached).
    public func recoverableDeliveries(
        ofWebhook webhookID: WebhookID, since: Timestamp?, after: UInt64, through: UInt64, examining limit: Int
    ) throws -> RecoverablePage {
        var paging = RecoverablePaging(since: since, through: through, examining: limit)
        return try databases.environment.read { transaction in
            try forEachSequence(
                listedUnder: IndexedName(webhookID), in: databases.byWebhook, from: after + 1, in: transaction
            ) { sequence in
                let entry = try record(at: sequence, in: transaction, if: RecordCodec.createsDeliveries)
                let created = entry.flatMap { Self.deliveries(createdBy: $0, of: .webhook(webhookID)).first }
                guard paging.goesOn(at: sequence, creating: created != nil) else { return false }
                if let created, let entry { paging.take(try folded(created, from: entry, in: transaction)) }
                return true
            }
            return paging.page
        }
    }
}
