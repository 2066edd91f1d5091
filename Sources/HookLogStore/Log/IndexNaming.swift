import HookLogCore

/// Which key of a named index lists a name's records (storage format 5), for readers, the writer and compaction alike.
///
/// A numbered index keys a name by its number in the id table. A hashed index keys it by its hash (``NameHash``),
/// unless another name held that hash first: then by a number of the id table. Whose a hash key is, is told by the
/// first record it lists, which names its name by itself (``NamedIndex/names(givenBy:)``): the record that
/// brought the name (an event's `EventReceived`; compaction removes an event with all its records, never that one
/// alone). So a reader that looks a name up never gets another name's records, whatever the hashes.
struct IndexNaming: Sendable {
    let ids: IdTable
    let log: LMDBDatabase

    /// The key `index` lists `name`'s records under; nil when it lists none.
    func key<Access>(
        of name: IndexedName, in index: NamedIndex, in transaction: borrowing LMDBTransaction<Access>
    ) throws -> UInt64? {
        if let number = try ids.number(of: name, in: index.kind, in: transaction) { return number }
        guard index.isHashed else { return nil }
        let hash = NameHash.key(of: name)
        return try firstListed(under: hash, in: index, names: name, in: transaction) == true ? hash : nil
    }

    /// Whether the first record `index` lists under `key` names `name` by itself; nil when it lists none.
    func firstListed<Access>(
        under key: UInt64, in index: NamedIndex, names name: IndexedName, in transaction: borrowing LMDBTransaction<Access>
    ) throws -> Bool? {
        var first: UInt64?
        try transaction.forEachDuplicate(of: LogKeys.number(key), in: index.database, from: LogKeys.sequence(0)) { value in
            first = LogKeys.sequence(from: value)
            return false
        }
        guard let first else { return nil }
        let record = try transaction.withValue(LogKeys.sequence(first), in: log) { bytes in
            try LogReader.decode(bytes, first)
        }
        guard let record else { throw StoreError.missingRecord(first) }
        return index.names(givenBy: record).contains(name)
    }
}
