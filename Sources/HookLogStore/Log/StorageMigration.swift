import HookLogCore

/// Brings a data directory opened for writing to ``LogDatabases/storageFormat`` in one write transaction: a new one
/// (no format yet) is marked, one of format 6 to 8 marked too (its uncompressed checkpoint and base, whole before
/// format 8, are read until they are next written, compressed and in pieces: ``Checkpoint``, ``PiecedValue``), one of
/// format 5 marked too, with a note that its indexes hold format-5 keys when it has records
/// (``IndexNaming/formerKeysRemain``), and an older one (formats 1 to 4) migrated. A directory of format 5 or older
/// notes its last sequence, up to which `by_event` lists records under the events of their deliveries too
/// (``LogDatabases/formerEventEntriesThrough``).
///
/// Each index an older directory holds is read entry by entry, each name given its key as the writer would have
/// (``IndexNaming``: numbered in a new id table, or its derived key unless another name holds it), then dropped and
/// written again in the layout of ``LogKeys``, sorted, so that every entry is appended; the indexes a format lacks are
/// filled from the log: format 1 the idempotency index, formats 1 and 2 the queue index (whose keys never depend on
/// the state, so each record's are taken alone). The entries of records kept from before a base snapshot carry over as
/// they are, which no replay could recompute. Every directory of formats 1 to 6 gets the search index of format 7,
/// written from the log (``ValueIndex``); one of format 7 has it already.
struct StorageMigration {
    let environment: LMDBEnvironment
    let meta: LMDBDatabase
    /// The directory's storage format; nil for a new directory.
    let format: UInt8?
    /// The run size the directory's search index gets (``ValueIndex/runBits``).
    let valueRunBits: UInt8

    init(environment: LMDBEnvironment, meta: LMDBDatabase, from format: UInt8?, valueRunBits: UInt8) {
        self.environment = environment
        self.meta = meta
        self.format = format
        self.valueRunBits = valueRunBits
    }

    /// Migrates and marks the directory.
    func run() throws {
        try environment.write { transaction in
            let last = try transaction.lastEntry(in: try transaction.openDatabase("log", fixedSizeDuplicates: false))
            if let format, format < 6, let last {
                try transaction.put(last.key, forKey: LogDatabases.formerEventEntriesKey, in: meta)
            }
            if format == 5 {
                if last != nil { try transaction.put([5], forKey: LogDatabases.formerKeysKey, in: meta) }
            } else if let format, format < 5 {
                var keys = KeyAssignment(
                    ids: IdTable(names: try transaction.openDatabase("ids", fixedSizeDuplicates: false), meta: meta),
                    log: try transaction.openDatabase("log", fixedSizeDuplicates: false))
                keys.lastNumber = try keys.ids.lastNumber(in: transaction)
                let stateless = HookLogState(policy: .standard, queueWindow: nil)
                for kind in NamedIndex.Kind.allCases {
                    let old = NamedIndex(
                        kind: kind, database: try transaction.openDatabase(kind.databaseName, fixedSizeDuplicates: false))
                    var entries = try keys.convertedEntries(of: old, in: transaction)
                    try transaction.drop(old.database)
                    let index = NamedIndex(
                        kind: kind, database: try transaction.openDatabase(kind.databaseName, fixedSizeDuplicates: true))
                    if (kind == .idempotencyKeys && format < 2) || (kind == .queues && format < 3) {
                        entries += try keys.entriesFromLog(of: index, stateless: stateless, in: transaction)
                    }
                    try write(entries, into: index.database, in: transaction)
                }
                let oldTime = try transaction.openDatabase("by_time", fixedSizeDuplicates: false)
                let timeEntries = try convertedTimeEntries(of: oldTime, in: transaction)
                try transaction.drop(oldTime)
                try write(timeEntries, into: try transaction.openDatabase("by_time", fixedSizeDuplicates: true), in: transaction)
                try keys.ids.storeLastNumber(keys.lastNumber, in: transaction)
            }
            let hasValueIndex = (format ?? 0) >= 7
            if !hasValueIndex {
                try transaction.put([valueRunBits], forKey: ValueIndex.runBitsKey, in: meta)
            }
            if format != nil, !hasValueIndex {
                try fillValueIndex(in: transaction)
            }
            try transaction.put([LogDatabases.storageFormat], forKey: LogDatabases.formatKey, in: meta)
        }
    }

    /// Writes the search index, which formats up to 6 lack, from the log: every record that creates deliveries under
    /// the keys of its event's searchable texts (``ValueIndex``).
    private func fillValueIndex(in transaction: borrowing WriteTransaction) throws {
        let log = try transaction.openDatabase("log", fixedSizeDuplicates: false)
        let values = ValueIndex(
            database: try transaction.openDatabase("by_value", fixedSizeDuplicates: true), log: log, runBits: valueRunBits)
        var entries: [(UInt64, UInt64)] = []
        try transaction.scan(log) { key, value in
            guard RecordCodec.createsDeliveries(value) else { return true }
            let sequence = LogKeys.sequence(from: key)
            let entry = LoggedRecord(sequence: sequence, record: try LogReader.decode(value, sequence))
            let keys = try values.keys(of: entry, in: transaction)
            entries += keys.map { ($0, sequence) }
            return true
        }
        try write(entries, into: values.database, in: transaction)
    }

    /// The older `by_time`'s entries as (key, value) pairs of the new layout.
    private func convertedTimeEntries(of old: LMDBDatabase, in transaction: borrowing WriteTransaction) throws -> [(UInt64, UInt64)] {
        var entries: [(UInt64, UInt64)] = []
        try transaction.scan(old) { key, _ in
            let at = LegacyIndexKeys.time(ofTimeEntry: key)
            let sequence = LogKeys.sequence(from: key)
            let newKey = LogKeys.timeIndexKey(at)
            let newValue = LogKeys.timeIndexValue(at, sequence)
            entries.append((newKey.withUnsafeBytes(LogKeys.number(from:)), newValue.withUnsafeBytes(LogKeys.sequence(from:))))
            return true
        }
        return entries
    }

    /// Appends `entries`, sorted, to `index`, a new database of sorted duplicates.
    private func write(_ entries: [(UInt64, UInt64)], into index: LMDBDatabase, in transaction: borrowing WriteTransaction) throws {
        var previous: (UInt64, UInt64)?
        for entry in entries.sorted(by: <) where previous.map({ $0 != entry }) ?? true {
            let placement: DuplicatePlacement = previous?.0 == entry.0 ? .afterLastValue : .afterLastKey
            try transaction.putDuplicate(
                LogKeys.sequence(entry.1), forKey: LogKeys.number(entry.0), in: index, placement: placement)
            previous = entry
        }
    }
}

/// The keys a migration gives names, as the writer would have given them (``IndexNaming``): in an index that derives
/// keys, a name takes its derived key when no other name holds it and the first record listing the name names it by
/// itself, and a number of the id table otherwise.
private struct KeyAssignment {
    let ids: IdTable
    let log: LMDBDatabase
    var lastNumber: UInt64 = 0

    init(ids: IdTable, log: LMDBDatabase) {
        self.ids = ids
        self.log = log
    }

    /// The entries of the older index `old` as (key, sequence) pairs; its entries come grouped by name, each name's
    /// oldest first.
    mutating func convertedEntries(of old: NamedIndex, in transaction: borrowing WriteTransaction) throws -> [(UInt64, UInt64)] {
        var entries: [(UInt64, UInt64)] = []
        var heldKeys: Set<UInt64> = []
        var current: (name: IndexedName, key: UInt64)?
        try transaction.scan(old.database) { key, _ in
            let name = LegacyIndexKeys.name(ofEntry: key)
            let sequence = LogKeys.sequence(from: key)
            let nameKey = try current.flatMap { $0.name == name ? $0.key : nil }
                ?? self.key(of: name, firstListedAt: sequence, in: old, heldKeys: &heldKeys, in: transaction)
            current = (name, nameKey)
            entries.append((nameKey, sequence))
            return true
        }
        return entries
    }

    /// The entries the log calls for in `index`, a format lacked it, as (key, sequence) pairs.
    mutating func entriesFromLog(
        of index: NamedIndex, stateless: HookLogState, in transaction: borrowing WriteTransaction
    ) throws -> [(UInt64, UInt64)] {
        var entries: [(UInt64, UInt64)] = []
        var keys: [IndexedName: UInt64] = [:]
        var heldKeys: Set<UInt64> = []
        try transaction.scan(log) { key, value in
            let sequence = LogKeys.sequence(from: key)
            for name in index.names(in: IndexKeys(of: try LogReader.decode(value, sequence), in: stateless)) {
                let key = try keys[name] ?? self.key(of: name, firstListedAt: sequence, in: index, heldKeys: &heldKeys, in: transaction)
                keys[name] = key
                entries.append((key, sequence))
            }
            return true
        }
        return entries
    }

    /// The key of a name first listed at `sequence`; `heldKeys` are the derived keys names took before.
    private mutating func key(
        of name: IndexedName, firstListedAt sequence: UInt64, in index: NamedIndex, heldKeys: inout Set<UInt64>,
        in transaction: borrowing WriteTransaction
    ) throws -> UInt64 {
        if index.derivesKeys {
            let derived = index.derivedKey(of: name)
            let record = try transaction.withValue(LogKeys.sequence(sequence), in: log) { try LogReader.decode($0, sequence) }
            if !heldKeys.contains(derived), record.map({ index.names(givenBy: $0).contains(name) }) == true {
                heldKeys.insert(derived)
                return derived
            }
        }
        return try ids.number(of: name, in: index.kind, in: transaction) ?? ids.add(name, in: index, after: &lastNumber, in: transaction)
    }
}
