import HookLogCore

/// Adds index entries in one write transaction, in the layout of storage format 5 (``LogKeys``): it gives new
/// names their numbers in the id table and appends every entry that goes last, which it knows for the entries of a
/// new record (its sequence comes after every other), so that LMDB fills pages instead of splitting them in half.
///
/// Entries must come in sequence order. ``finish(in:)`` stores the id table's last number before the commit.
struct IndexEntryWriter {
    private let databases: LogDatabases
    private let ids: IdTable
    private var lastNumber: UInt64
    private let firstNewNumber: UInt64
    /// The last `by_time` entry, once ``addTime(_:_:in:)`` has read it.
    private var lastTimeEntry: (key: [UInt8], value: [UInt8])?
    private var readLastTimeEntry = false

    /// A writer for the indexes of `databases` in `transaction`.
    init(_ databases: LogDatabases, ids: IdTable, in transaction: borrowing WriteTransaction) throws {
        self.databases = databases
        self.ids = ids
        lastNumber = try ids.lastNumber(in: transaction)
        firstNewNumber = lastNumber + 1
    }

    /// Lists the record at `sequence` under each of `names` in `index`, once each.
    mutating func add(
        _ names: some Sequence<IndexedName>, _ sequence: UInt64, to index: LMDBDatabase,
        in transaction: borrowing WriteTransaction
    ) throws {
        var added: Set<IndexedName> = []
        for name in names where added.insert(name).inserted {
            let value = LogKeys.sequence(sequence)
            if let number = try ids.number(of: name, in: transaction) {
                try transaction.putDuplicate(value, forKey: LogKeys.number(number), in: index, placement: .afterLastValue)
            } else {
                let number = try ids.add(name, after: &lastNumber, in: transaction)
                try transaction.putDuplicate(value, forKey: LogKeys.number(number), in: index, placement: .afterLastKey)
            }
        }
    }

    /// Lists the record at `sequence`, recorded at `at`, in `by_time`.
    mutating func addTime(_ at: Timestamp, _ sequence: UInt64, in transaction: borrowing WriteTransaction) throws {
        let key = LogKeys.timeIndexKey(at)
        let value = LogKeys.timeIndexValue(at, sequence)
        if !readLastTimeEntry {
            lastTimeEntry = try transaction.lastEntry(in: databases.byTime)
            readLastTimeEntry = true
        }
        let placement: DuplicatePlacement
        switch lastTimeEntry {
        case nil:
            placement = .afterLastKey
        case let last? where key.lexicographicallyPrecedes(last.key):
            placement = .sorted
        case let last? where key == last.key:
            placement = last.value.lexicographicallyPrecedes(value) ? .afterLastValue : .sorted
        case _?:
            placement = .afterLastKey
        }
        try transaction.putDuplicate(value, forKey: key, in: databases.byTime, placement: placement)
        if placement != .sorted { lastTimeEntry = (key, value) }
    }

    /// Stores the id table's last number, if this writer handed out any.
    func finish(in transaction: borrowing WriteTransaction) throws {
        guard lastNumber >= firstNewNumber else { return }
        try ids.storeLastNumber(lastNumber, in: transaction)
    }
}
