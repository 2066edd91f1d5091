import HookLogCore

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

    /// Up to `limit` records after sequence `after`, in order.
    public func records(after: UInt64, limit: Int) throws -> [LoggedRecord] {
        var records: [LoggedRecord] = []
        try forEachRecord(after: after) { entry in
            records.append(entry)
            return records.count < limit
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

    /// The deliveries of a webhook or an event, with their attempts, folded from the records the indexes point to.
    public func history(of subject: DeliveryHistory.Subject) throws -> DeliveryHistory {
        var history = DeliveryHistory(of: subject)
        let (database, id) = switch subject {
        case .webhook(let id): (databases.byWebhook, id.rawValue)
        case .event(let id): (databases.byEvent, id.rawValue)
        }
        for entry in try records(indexedUnder: id, in: database) {
            history.apply(entry.record)
        }
        return history
    }

    /// The records that concern a webhook, oldest first.
    public func records(ofWebhook webhookID: WebhookID) throws -> [LoggedRecord] {
        try records(indexedUnder: webhookID.rawValue, in: databases.byWebhook)
    }

    /// The newest `limit` records that concern a webhook, newest first.
    public func latestRecords(ofWebhook webhookID: WebhookID, limit: Int) throws -> [LoggedRecord] {
        try records(indexedUnder: webhookID.rawValue, in: databases.byWebhook, newestFirst: true, limit: limit)
    }

    /// The records that concern a workspace, oldest first.
    public func records(ofWorkspace workspaceID: WorkspaceID) throws -> [LoggedRecord] {
        try records(indexedUnder: workspaceID.rawValue, in: databases.byWorkspace)
    }

    /// The sequence of the first record at or after `time`, or nil if there is none.
    public func firstSequence(atOrAfter time: Timestamp) throws -> UInt64? {
        try databases.environment.read { transaction in
            var found: UInt64?
            try transaction.scan(databases.byTime, from: LogKeys.timeEntry(time, 0)) { key, _ in
                found = LogKeys.sequence(from: key)
                return false
            }
            return found
        }
    }

    /// How many entries each database holds, by name, in the caller's read transaction.
    func databaseCounts(in transaction: borrowing ReadTransaction) throws -> [(name: String, entries: Int)] {
        try [
            ("log", databases.log), ("by_webhook", databases.byWebhook), ("by_event", databases.byEvent),
            ("by_workspace", databases.byWorkspace), ("by_delivery", databases.byDelivery),
            ("by_time", databases.byTime),
        ].map { ($0.0, try transaction.count(of: $0.1)) }
    }

    /// The records an index lists under `id`, oldest or newest first, read in one transaction.
    private func records(
        indexedUnder id: String, in index: LMDBDatabase, newestFirst: Bool = false, limit: Int = .max
    ) throws -> [LoggedRecord] {
        let prefix = LogKeys.indexPrefix(id)
        let start = newestFirst ? prefix + [UInt8](repeating: 0xFF, count: 8) : prefix
        return try databases.environment.read { transaction in
            var sequences: [UInt64] = []
            try transaction.scan(index, from: start, reverse: newestFirst) { key, _ in
                guard key.count == prefix.count + 8, key.starts(with: prefix) else { return false }
                sequences.append(LogKeys.sequence(from: key))
                return sequences.count < limit
            }
            return try sequences.map { sequence in
                guard let entry = try transaction.withValue(LogKeys.sequence(sequence), in: databases.log, { value in
                    LoggedRecord(sequence: sequence, record: try Self.decode(value, sequence))
                }) else {
                    throw StoreError.missingRecord(sequence)
                }
                return entry
            }
        }
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
