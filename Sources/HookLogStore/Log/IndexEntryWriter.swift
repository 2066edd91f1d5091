import HookLogCore

/// Appends records with their index entries in one write transaction, in the layout of storage format 6
/// (``LogKeys``, ``IndexNaming``): it numbers new names of numbered indexes, and of those that derive keys the names
/// whose key another name holds, and appends every entry that goes last, which it knows for the entries of a new
/// record (its sequence comes after every other), so that LMDB fills pages instead of splitting them in half.
///
/// Records come in sequence order (``append(_:bytes:names:in:)``). ``finish(in:)`` stores the id table's last
/// number before the commit.
struct IndexEntryWriter {
    private let databases: LogDatabases
    private let naming: IndexNaming
    private var lastNumber: UInt64
    private let firstNewNumber: UInt64
    /// The last `by_time` entry, once ``addTime(_:_:in:)`` has read it.
    private var lastTimeEntry: (key: [UInt8], value: [UInt8])?
    private var readLastTimeEntry = false

    /// A writer for the indexes of `databases` in `transaction`.
    init(_ databases: LogDatabases, naming: IndexNaming, in transaction: borrowing WriteTransaction) throws {
        self.databases = databases
        self.naming = naming
        lastNumber = try naming.ids.lastNumber(in: transaction)
        firstNewNumber = lastNumber + 1
    }

    /// Lists the record at `sequence` under each of `names` in `index`, once each. Only a record that creates
    /// deliveries (an `EventReceived`, a `RedeliveryRequested`: `bringsNames`) can bring an event, delivery or
    /// idempotency-key name the index has never listed, so only its names need their derived key's owner checked;
    /// every other record names what such a record brought before it.
    private mutating func add(
        _ names: some Sequence<IndexedName>, _ sequence: UInt64, bringsNames: Bool, to index: NamedIndex,
        in transaction: borrowing WriteTransaction
    ) throws {
        var added: Set<IndexedName> = []
        for name in names where added.insert(name).inserted {
            let (key, placement) = try place(name, in: index, checkingOwner: bringsNames, in: transaction)
            try transaction.putDuplicate(
                LogKeys.sequence(sequence), forKey: LogKeys.number(key), in: index.database, placement: placement)
        }
    }

    /// The key a new entry of `name` goes under, and where.
    private mutating func place(
        _ name: IndexedName, in index: NamedIndex, checkingOwner: Bool, in transaction: borrowing WriteTransaction
    ) throws -> (UInt64, DuplicatePlacement) {
        if let number = try naming.ids.number(of: name, in: index.kind, in: transaction) { return (number, .afterLastValue) }
        guard index.derivesKeys else {
            return (try naming.ids.add(name, in: index, after: &lastNumber, in: transaction), .afterLastKey)
        }
        guard checkingOwner else { return (try naming.listedKey(of: name, in: index, in: transaction), .afterLastValue) }
        let key = index.derivedKey(of: name)
        let owned = try naming.firstListed(under: key, in: index, names: name, in: transaction)
        if owned == true { return (key, .afterLastValue) }
        if let former = try naming.formerKey(listing: name, in: index, in: transaction) { return (former, .afterLastValue) }
        if owned == nil { return (key, .sorted) }
        return (try naming.ids.add(name, in: index, after: &lastNumber, in: transaction), .afterLastKey)
    }

    /// Lists `entry`, a record that creates deliveries, in the search index under the texts of its event's data
    /// (``ValueIndex``). Its keys are scattered over the latest run, so each value goes where it sorts.
    private func addValues(of entry: LoggedRecord, in transaction: borrowing WriteTransaction) throws {
        guard let values = databases.values else { return }
        for key in try values.keys(of: entry, in: transaction) {
            try transaction.putDuplicate(LogKeys.sequence(entry.sequence), forKey: LogKeys.number(key), in: values.database)
        }
    }

    /// Lists the record at `sequence`, recorded at `at`, in `by_time`.
    private mutating func addTime(_ at: Timestamp, _ sequence: UInt64, in transaction: borrowing WriteTransaction) throws {
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

    /// Appends `entry`, encoded as `bytes`, to the log, and lists it in every index: `by_time`, each named index under
    /// the names `names` gives for it, and the search index for a record that creates deliveries. Its sequence must
    /// come after every record's in the log.
    mutating func append(
        _ entry: LoggedRecord, bytes: [UInt8], names: (NamedIndex) -> [IndexedName], in transaction: borrowing WriteTransaction
    ) throws {
        try transaction.put(bytes, forKey: LogKeys.sequence(entry.sequence), in: databases.log, append: true)
        try addTime(entry.record.at, entry.sequence, in: transaction)
        let bringsNames = bytes.withUnsafeBytes(RecordCodec.createsDeliveries)
        for index in databases.namedIndexes {
            try add(names(index), entry.sequence, bringsNames: bringsNames, to: index, in: transaction)
        }
        if bringsNames { try addValues(of: entry, in: transaction) }
    }

    /// Stores the id table's last number, if this writer handed out any.
    func finish(in transaction: borrowing WriteTransaction) throws {
        guard lastNumber >= firstNewNumber else { return }
        try naming.ids.storeLastNumber(lastNumber, in: transaction)
    }
}
