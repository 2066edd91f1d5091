import HookLogCore

/// The id table (`ids`, storage format 5): each name an index lists records under (``IndexedName``) mapped to its
/// number, 8 bytes big-endian, which every index keys the name by.
///
/// Numbers are handed out in order from 1 and the last one is kept in `meta` (`last_id`), so that a new name's
/// entries go after every key of an index and fill its pages. A name whose entries compaction removed from every
/// index leaves the table; should it come back later, it gets a new number.
struct IdTable: Sendable {
    /// The `ids` database: a name's bytes to its number.
    let names: LMDBDatabase
    /// The `meta` database, which keeps the last number handed out.
    let meta: LMDBDatabase

    static let lastNumberKey = Array("last_id".utf8)

    /// The name's number; nil when no index lists anything under it.
    func number<Access>(of name: IndexedName, in transaction: borrowing LMDBTransaction<Access>) throws -> UInt64? {
        guard (1...LogKeys.maxKeyBytes).contains(name.bytes.count) else { return nil }
        return try transaction.withValue(name.bytes, in: names) { LogKeys.number(from: $0) }
    }

    /// The last number handed out, as `transaction` sees it; 0 before the first.
    func lastNumber(in transaction: borrowing WriteTransaction) throws -> UInt64 {
        try transaction.withValue(Self.lastNumberKey, in: meta) { LogKeys.number(from: $0) } ?? 0
    }

    /// Gives `name` the number after `last`, which becomes the last one; the caller stores it with
    /// ``storeLastNumber(_:in:)`` before the transaction commits.
    func add(_ name: IndexedName, after last: inout UInt64, in transaction: borrowing WriteTransaction) throws -> UInt64 {
        last += 1
        try transaction.put(LogKeys.number(last), forKey: name.bytes, in: names)
        return last
    }

    /// Keeps `last` as the last number handed out.
    func storeLastNumber(_ last: UInt64, in transaction: borrowing WriteTransaction) throws {
        try transaction.put(LogKeys.number(last), forKey: Self.lastNumberKey, in: meta)
    }

    /// Removes `name` from the table unless one of `indexes` still lists something under its number.
    func forget(_ name: IndexedName, unlessListedIn indexes: [LMDBDatabase], in transaction: borrowing WriteTransaction) throws {
        guard let number = try number(of: name, in: transaction) else { return }
        let key = LogKeys.number(number)
        for index in indexes {
            if try transaction.withValue(key, in: index, { _ in true }) != nil { return }
        }
        _ = try transaction.delete(name.bytes, in: names)
    }
}
