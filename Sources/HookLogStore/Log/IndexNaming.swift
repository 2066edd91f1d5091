import HookLogCore

/// Which key of a named index lists a name's records (storage format 6), for readers, the writer and compaction alike.
///
/// A numbered index keys a name by its number in the id table. An index that derives keys keys it by the key derived
/// from the name (``NamedIndex/derivedKey(of:)``), unless another name held that key first: then by a number of the id
/// table. Whose a derived key is, is told by the first record it lists, which names its name by itself
/// (``NamedIndex/names(givenBy:)``): the record that brought the name (an event's `EventReceived`; compaction removes
/// an event with all its records, never that one alone). So a reader that looks a name up never gets another name's
/// records, whatever the keys.
///
/// A directory written by format 5 lists the generated ids it holds from then under their hash
/// (``NamedIndex/formerKey(of:)``); while such keys may remain, a name not found under its derived key is looked for
/// under its former one too.
struct IndexNaming: Sendable {
    let ids: IdTable
    let log: LMDBDatabase
    /// Whether the indexes may list names under their format-5 key: the directory was written by format 5 before.
    let formerKeysRemain: Bool

    /// The key `index` lists `name`'s records under; nil when it lists none.
    func key<Access>(
        of name: IndexedName, in index: NamedIndex, in transaction: borrowing LMDBTransaction<Access>
    ) throws -> UInt64? {
        if let number = try ids.number(of: name, in: index.kind, in: transaction) { return number }
        guard index.derivesKeys else { return nil }
        let derived = index.derivedKey(of: name)
        if try firstListed(under: derived, in: index, names: name, in: transaction) == true { return derived }
        return try formerKey(listing: name, in: index, in: transaction)
    }

    /// The key of a name `index` is known to list and the id table does not number: its derived key, or its former
    /// one when the name is listed there (which only a directory written by format 5 can hold).
    func listedKey<Access>(
        of name: IndexedName, in index: NamedIndex, in transaction: borrowing LMDBTransaction<Access>
    ) throws -> UInt64 {
        let derived = index.derivedKey(of: name)
        guard formerKeysRemain, index.formerKey(of: name) != nil,
              try firstListed(under: derived, in: index, names: name, in: transaction) != true
        else { return derived }
        return try formerKey(listing: name, in: index, in: transaction) ?? derived
    }

    /// `name`'s format-5 key when the directory may hold such keys and `index` lists `name` under it; nil otherwise.
    func formerKey<Access>(
        listing name: IndexedName, in index: NamedIndex, in transaction: borrowing LMDBTransaction<Access>
    ) throws -> UInt64? {
        guard formerKeysRemain, let former = index.formerKey(of: name),
              try firstListed(under: former, in: index, names: name, in: transaction) == true
        else { return nil }
        return former
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
