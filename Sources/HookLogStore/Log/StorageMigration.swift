import HookLogCore

/// Brings a data directory opened for writing to ``LogDatabases/storageFormat`` in one write transaction: a new one
/// (no format yet) is marked, an older one (formats 1 to 4) migrated.
///
/// Each index an older directory holds is read entry by entry, its names given numbers in a new id table, then
/// dropped and written again in the numbered layout of ``LogKeys``, sorted, so that every entry is appended; the
/// indexes a format lacks are filled from the log: format 1 the idempotency index, formats 1 and 2 the queue index
/// (whose keys never depend on the state, so each record's are taken alone). The entries of records kept from
/// before a base snapshot carry over as they are, which no replay could recompute.
struct StorageMigration {
    let environment: LMDBEnvironment
    let meta: LMDBDatabase
    /// The directory's storage format; nil for a new directory.
    let format: UInt8?

    init(environment: LMDBEnvironment, meta: LMDBDatabase, from format: UInt8?) {
        self.environment = environment
        self.meta = meta
        self.format = format
    }

    /// Migrates and marks the directory.
    func run() throws {
        try environment.write { transaction in
            if let format {
                let ids = IdTable(names: try transaction.openDatabase("ids", fixedSizeDuplicates: false), meta: meta)
                var lastNumber = try ids.lastNumber(in: transaction)
                let stateless = HookLogState(policy: .standard, queueWindow: nil)
                for name in LogDatabases.namedIndexNames {
                    var entries = try convertedEntries(of: name, ids: ids, lastNumber: &lastNumber, in: transaction)
                    if name == "by_idempotency_key", format < 2 {
                        try addFromLog(in: transaction, into: &entries, ids: ids, lastNumber: &lastNumber) { record in
                            guard case .eventReceived(let fact) = record.fact else { return [] }
                            return IdempotencyKey(of: fact).map { [IndexedName($0)] } ?? []
                        }
                    }
                    if name == "by_queue", format < 3 {
                        try addFromLog(in: transaction, into: &entries, ids: ids, lastNumber: &lastNumber) { record in
                            IndexKeys(of: record, in: stateless).queues.map(IndexedName.init)
                        }
                    }
                    try write(entries, into: name, in: transaction)
                }
                try write(try convertedTimeEntries(in: transaction), into: "by_time", in: transaction)
                try ids.storeLastNumber(lastNumber, in: transaction)
            }
            try transaction.put([LogDatabases.storageFormat], forKey: LogDatabases.formatKey, in: meta)
        }
    }

    /// The entries of the older index `name`, numbered, as (key, value) pairs of the new layout; the old database is
    /// dropped. None for an index this format lacks.
    private func convertedEntries(
        of name: String, ids: IdTable, lastNumber: inout UInt64, in transaction: borrowing WriteTransaction
    ) throws -> [(UInt64, UInt64)] {
        let old = try transaction.openDatabase(name, fixedSizeDuplicates: false)
        var entries: [(UInt64, UInt64)] = []
        try transaction.scan(old) { key, _ in
            let name = LegacyIndexKeys.name(ofEntry: key)
            let number = try ids.number(of: name, in: transaction) ?? ids.add(name, after: &lastNumber, in: transaction)
            entries.append((number, LogKeys.sequence(from: key)))
            return true
        }
        try transaction.drop(old)
        return entries
    }

    /// The older `by_time`'s entries as (key, value) pairs of the new layout; the old database is dropped.
    private func convertedTimeEntries(in transaction: borrowing WriteTransaction) throws -> [(UInt64, UInt64)] {
        let old = try transaction.openDatabase("by_time", fixedSizeDuplicates: false)
        var entries: [(UInt64, UInt64)] = []
        try transaction.scan(old) { key, _ in
            let at = LegacyIndexKeys.time(ofTimeEntry: key)
            let sequence = LogKeys.sequence(from: key)
            let newKey = LogKeys.timeIndexKey(at)
            let newValue = LogKeys.timeIndexValue(at, sequence)
            entries.append((newKey.withUnsafeBytes(LogKeys.number(from:)), newValue.withUnsafeBytes(LogKeys.sequence(from:))))
            return true
        }
        try transaction.drop(old)
        return entries
    }

    /// Adds an entry for each name `names` gives each record of the log.
    private func addFromLog(
        in transaction: borrowing WriteTransaction, into entries: inout [(UInt64, UInt64)], ids: IdTable,
        lastNumber: inout UInt64, names: (Record) -> [IndexedName]
    ) throws {
        let log = try transaction.openDatabase("log", fixedSizeDuplicates: false)
        try transaction.scan(log) { key, value in
            let sequence = LogKeys.sequence(from: key)
            for name in names(try LogReader.decode(value, sequence)) {
                let number = try ids.number(of: name, in: transaction) ?? ids.add(name, after: &lastNumber, in: transaction)
                entries.append((number, sequence))
            }
            return true
        }
    }

    /// Creates the index `name` in the new layout and appends `entries`, sorted, to it.
    private func write(_ entries: [(UInt64, UInt64)], into name: String, in transaction: borrowing WriteTransaction) throws {
        let index = try transaction.openDatabase(name, fixedSizeDuplicates: true)
        var previous: (UInt64, UInt64)?
        for entry in entries.sorted(by: <) where previous.map({ $0 != entry }) ?? true {
            let placement: DuplicatePlacement = previous?.0 == entry.0 ? .afterLastValue : .afterLastKey
            try transaction.putDuplicate(
                LogKeys.sequence(entry.1), forKey: LogKeys.number(entry.0), in: index, placement: placement)
            previous = entry
        }
    }
}
