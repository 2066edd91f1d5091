public import HookLogCore

/// Reads the log and its indexes in read transactions, concurrently with the writer and with other processes.
public struct LogReader: Sendable {
    let databases: LogDatabases

    /// Opens the log in `directory` for reading only; it must exist.
    public init(directory: String) throws {
        try DataDirectory.checkReadable(directory)
        databases = try LogDatabases(directory: directory, readOnly: true, mapSize: 0)
    }

    init(databases: LogDatabases) {
        self.databases = databases
    }

    /// The sequence of the last record; 0 for an empty log.
    public func lastSequence() throws -> UInt64 {
        try databases.environment.read { transaction in
            try transaction.lastKey(in: databases.log).map { key in key.withUnsafeBytes(LogKeys.sequence(from:)) } ?? 0
        }
    }

    /// Up to `limit` records after sequence `after`, in order. With a workspace, only the records the workspace index
    /// lists for it: everything about the workspace, its keys, its webhooks, their deliveries and attempts.
    public func records(after: UInt64, limit: Int, workspace: WorkspaceID? = nil) throws -> [LoggedRecord] {
        guard limit > 0, after < .max else { return [] }
        var records: [LoggedRecord] = []
        guard let workspace else {
            try forEachRecord(after: after) { entry in
                records.append(entry)
                return records.count < limit
            }
            return records
        }
        try databases.environment.read { transaction in
            try forEachSequence(
                listedUnder: IndexedName(workspace), in: databases.byWorkspace, from: after + 1, in: transaction
            ) { sequence in
                records.append(try record(at: sequence, in: transaction))
                return records.count < limit
            }
        }
        return records
    }

    /// Calls `body` with each record after sequence `after`, in order, until it returns false.
    public func forEachRecord(after: UInt64 = 0, _ body: (LoggedRecord) throws -> Bool) throws {
        try databases.environment.read { transaction in
            try forEachRecord(in: transaction, after: after, body)
        }
    }

    /// ``forEachRecord(after:_:)`` inside a read transaction the caller holds, for reads that must share one
    /// snapshot.
    func forEachRecord(
        in transaction: borrowing ReadTransaction, after: UInt64 = 0, _ body: (LoggedRecord) throws -> Bool
    ) throws {
        try transaction.scan(databases.log, from: LogKeys.sequence(after + 1)) { key, value in
            let sequence = LogKeys.sequence(from: key)
            return try body(LoggedRecord(sequence: sequence, record: try Self.decode(value, sequence)))
        }
    }

    /// The record at `sequence`, if there is one.
    public func record(at sequence: UInt64) throws -> LoggedRecord? {
        try databases.environment.read { transaction in
            try transaction.withValue(LogKeys.sequence(sequence), in: databases.log) { value in
                LoggedRecord(sequence: sequence, record: try Self.decode(value, sequence))
            }
        }
    }

    /// The deliveries of a webhook, an event or a delivery, with their attempts, folded from the records the indexes
    /// point to, read from one snapshot: those of the subject, and for an event or a delivery, the disables and
    /// enables of their webhooks (``HistoryPlan``, ``DeliveryHistory``).
    public func history(of subject: DeliveryHistory.Subject) throws -> DeliveryHistory {
        let (database, name) = switch subject {
        case .webhook(let id): (databases.byWebhook, IndexedName(id))
        case .event(let id): (databases.byEvent, IndexedName(id))
        case .delivery(let id): (databases.byDelivery, IndexedName(id))
        }
        return try databases.environment.read { transaction in
            var listed: Set<UInt64> = []
            try forEachSequence(listedUnder: name, in: database, from: 0, in: transaction) { sequence in
                listed.insert(sequence)
                return true
            }
            let plan = HistoryPlan(of: subject, listed: try listed.sorted().map { try record(at: $0, in: transaction) })
            var more: Set<UInt64> = []
            for (deliveryID, createdAt) in plan.deliveries {
                try forEachSequence(
                    listedUnder: IndexedName(deliveryID), in: databases.byDelivery, from: createdAt + 1, in: transaction
                ) { sequence in
                    more.insert(sequence)
                    return true
                }
            }
            for (webhookID, sequence) in plan.webhooks {
                more.formUnion(try queueChanges(of: webhookID, after: sequence, in: transaction))
            }
            return plan.history(adding: try plan.unlisted(more).map { try record(at: $0, in: transaction) })
        }
    }

    /// The sequences of the records after `sequence` that changed every queued or skipped delivery of the webhook at
    /// once (its disables and enables), in the caller's transaction; none in an older directory opened read-only,
    /// whose deliveries are skipped and recovered by records of their own.
    func queueChanges(
        of webhookID: WebhookID, after sequence: UInt64, in transaction: borrowing ReadTransaction
    ) throws -> [UInt64] {
        guard let byQueue = databases.byQueue else { return [] }
        var sequences: [UInt64] = []
        try forEachSequence(listedUnder: IndexedName(webhookID), in: byQueue, from: sequence + 1, in: transaction) { sequence in
            sequences.append(sequence)
            return true
        }
        return sequences
    }

    /// The records that concern a webhook, oldest first.
    public func records(ofWebhook webhookID: WebhookID) throws -> [LoggedRecord] {
        try records(listedUnder: IndexedName(webhookID), in: databases.byWebhook)
    }

    /// The newest `limit` records that concern a webhook, newest first.
    public func latestRecords(ofWebhook webhookID: WebhookID, limit: Int) throws -> [LoggedRecord] {
        try records(listedUnder: IndexedName(webhookID), in: databases.byWebhook, newestFirst: true, limit: limit)
    }

    /// The records that concern a workspace, oldest first.
    public func records(ofWorkspace workspaceID: WorkspaceID) throws -> [LoggedRecord] {
        try records(listedUnder: IndexedName(workspaceID), in: databases.byWorkspace)
    }

    /// The sequence of the first record at or after `time`, or nil if there is none.
    public func firstSequence(atOrAfter time: Timestamp) throws -> UInt64? {
        try databases.environment.read { transaction in try firstSequence(atOrAfter: time, in: transaction) }
    }

    /// ``firstSequence(atOrAfter:)`` in the caller's read transaction: the record the time index lists first from
    /// `time` on (the earliest time, then the lowest sequence).
    func firstSequence(atOrAfter time: Timestamp, in transaction: borrowing ReadTransaction) throws -> UInt64? {
        try timeIndexEntry(from: time, reverse: false, in: transaction)
    }

    /// The sequence of the last record at or before `time` in the time index (the latest time, then the highest
    /// sequence), or nil if there is none, in the caller's read transaction.
    func lastSequence(atOrBefore time: Timestamp, in transaction: borrowing ReadTransaction) throws -> UInt64? {
        try timeIndexEntry(from: time, reverse: true, in: transaction)
    }

    /// The sequence of the time index's first entry from `time`, forwards or backwards.
    private func timeIndexEntry(
        from time: Timestamp, reverse: Bool, in transaction: borrowing ReadTransaction
    ) throws -> UInt64? {
        var found: UInt64?
        guard databases.ids != nil else {
            let start = LegacyIndexKeys.timeEntry(time, reverse ? .max : 0)
            try transaction.scan(databases.byTime, from: start, reverse: reverse) { key, _ in
                found = LogKeys.sequence(from: key)
                return false
            }
            return found
        }
        // Backwards, from the key after the time's: a reverse scan starts at a key's first value, not its last.
        let start = reverse ? LogKeys.timeIndexKey(after: time) : LogKeys.timeIndexKey(time)
        try transaction.scan(databases.byTime, from: start, reverse: reverse) { key, value in
            let at = LogKeys.time(fromTimeIndexKey: key, value: value)
            guard reverse ? at <= time : at >= time else { return true }
            found = LogKeys.sequence(fromTimeIndexValue: value)
            return false
        }
        return found
    }

    /// How many entries each database holds for records after `base`, by name, and how many of its entries for
    /// records at or before `base` point to a record the log no longer holds, in the caller's read transaction (an
    /// older directory opened read-only has no idempotency, queue or search index to count). With `base` 0 the counts are
    /// LMDB's own, without a scan.
    func databaseCounts(
        in transaction: borrowing ReadTransaction, after base: UInt64
    ) throws -> [(name: String, entries: Int, dangling: Int)] {
        let idempotency = databases.byIdempotencyKey.map { [("by_idempotency_key", $0)] } ?? []
        let queue = databases.byQueue.map { [("by_queue", $0)] } ?? []
        let value = databases.values.map { [("by_value", $0.database)] } ?? []
        let named = [
            ("log", databases.log), ("by_webhook", databases.byWebhook), ("by_event", databases.byEvent),
            ("by_workspace", databases.byWorkspace), ("by_delivery", databases.byDelivery),
            ("by_time", databases.byTime),
        ] + idempotency + queue + value
        return try named.map { name, database in
            guard base > 0 else { return (name, try transaction.count(of: database), 0) }
            var (entries, dangling) = (0, 0)
            try transaction.scan(database) { key, value in
                let sequence = indexedSequence(key: key, value: value, in: database)
                if sequence > base {
                    entries += 1
                } else if database != databases.log,
                          try transaction.withValue(LogKeys.sequence(sequence), in: databases.log, { _ in true }) == nil {
                    dangling += 1
                }
                return true
            }
            return (name, entries, dangling)
        }
    }

    /// The sequence of the record an entry of `database` (the log or an index) points to.
    private func indexedSequence(
        key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, in database: LMDBDatabase
    ) -> UInt64 {
        switch database {
        case databases.log: LogKeys.sequence(from: key)
        case _ where databases.ids == nil: LogKeys.sequence(from: key)
        case databases.byTime: LogKeys.sequence(fromTimeIndexValue: value)
        default: LogKeys.sequence(from: value)
        }
    }

    /// The records an index lists under `name`, oldest or newest first, read in one transaction.
    private func records(
        listedUnder name: IndexedName, in index: LMDBDatabase, newestFirst: Bool = false, limit: Int = .max
    ) throws -> [LoggedRecord] {
        guard limit > 0 else { return [] }
        return try databases.environment.read { transaction in
            var records: [LoggedRecord] = []
            try forEachSequence(
                listedUnder: name, in: index, from: newestFirst ? .max : 0, reverse: newestFirst, in: transaction
            ) { sequence in
                records.append(try record(at: sequence, in: transaction))
                return records.count < limit
            }
            return records
        }
    }

    /// Calls `body` with the sequence of each record `index` lists under `name`, from sequence `start` on, or back
    /// from it when `reverse`, until `body` returns false or the entries end.
    func forEachSequence(
        listedUnder name: IndexedName, in index: LMDBDatabase, from start: UInt64, reverse: Bool = false,
        in transaction: borrowing ReadTransaction, _ body: (UInt64) throws -> Bool
    ) throws {
        guard let naming = databases.naming else {
            let prefix = LegacyIndexKeys.prefix(name)
            guard prefix.count + 8 <= LogKeys.maxKeyBytes else { return }
            return try transaction.scan(index, from: prefix + LogKeys.sequence(start), reverse: reverse) { key, _ in
                guard key.count == prefix.count + 8, key.starts(with: prefix) else { return false }
                return try body(LogKeys.sequence(from: key))
            }
        }
        guard let named = databases.namedIndex(index), let key = try naming.key(of: name, in: named, in: transaction)
        else { return }
        try transaction.forEachDuplicate(
            of: LogKeys.number(key), in: index, from: LogKeys.sequence(start), reverse: reverse
        ) { value in
            try body(LogKeys.sequence(from: value))
        }
    }

    /// The record at `sequence`, read in the caller's transaction; an index entry that points to no record is an
    /// error.
    func record(at sequence: UInt64, in transaction: borrowing ReadTransaction) throws -> LoggedRecord {
        try withRecordBytes(at: sequence, in: transaction) { bytes in
            LoggedRecord(sequence: sequence, record: try Self.decode(bytes, sequence))
        }
    }

    /// Runs `body` with the encoded record at `sequence`, in place in the map, in the caller's transaction; an index
    /// entry that points to no record is an error.
    func withRecordBytes<T>(
        at sequence: UInt64, in transaction: borrowing ReadTransaction, _ body: (UnsafeRawBufferPointer) throws -> T
    ) throws -> T {
        guard let result = try transaction.withValue(LogKeys.sequence(sequence), in: databases.log, body) else {
            throw StoreError.missingRecord(sequence)
        }
        return result
    }

    static func decode(_ bytes: UnsafeRawBufferPointer, _ sequence: UInt64) throws(StoreError) -> Record {
        do {
            return try RecordCodec.decode(bytes)
        } catch {
            throw .corruptRecord(sequence: sequence, error)
        }
    }
}

extension LogReader {
    /// Writes a consistent, compacted copy of the environment into `directory` (created 0700 if missing; it must be
    /// empty), while writers go on.
    public func backup(to directory: String) throws {
        try DataDirectory.create(at: directory)
        try databases.environment.copy(to: directory, compact: true)
    }
}
