import HookLogCore

/// The id table (`ids`, storage formats 5 and 6): names of an index mapped to the number the index keys them by,
/// 8 bytes big-endian. A name's key in the table is its index's kind (``NamedIndex/Kind``, one byte), then the name's
/// bytes.
///
/// It holds every name of a numbered index (webhooks, workspaces, queues) and, of one that derives keys (events,
/// deliveries, idempotency keys), only the names whose derived key another name held first (``IndexNaming``). Numbers
/// are handed out in order from 1 and the last one is kept in `meta` (`last_id`), so that a numbered name's entries go
/// after every key of its index; the numbers of an index that derives keys carry ``NameHash/numberedBit``. A name
/// whose entries compaction removed leaves the table; should it come back, it gets a new number.
struct IdTable: Sendable {
    /// The `ids` database.
    let names: LMDBDatabase
    /// The `meta` database, which keeps the last number handed out.
    let meta: LMDBDatabase

    static let lastNumberKey = Array("last_id".utf8)

    /// The key of `name` of `index` in the table; nil for one no name of the table can have (too long for LMDB).
    static func tableKey(_ name: IndexedName, in index: NamedIndex.Kind) -> [UInt8]? {
        guard (0..<LogKeys.maxKeyBytes).contains(name.bytes.count) else { return nil }
        return [index.rawValue] + name.bytes
    }

    /// The number of `name` in `index`; nil when the table has none.
    func number<Access>(
        of name: IndexedName, in index: NamedIndex.Kind, in transaction: borrowing LMDBTransaction<Access>
    ) throws -> UInt64? {
        guard let key = Self.tableKey(name, in: index) else { return nil }
        return try transaction.withValue(key, in: names) { LogKeys.number(from: $0) }
    }

    /// The last number handed out, as `transaction` sees it; 0 before the first.
    func lastNumber(in transaction: borrowing WriteTransaction) throws -> UInt64 {
        try transaction.withValue(Self.lastNumberKey, in: meta) { LogKeys.number(from: $0) } ?? 0
    }

    /// Gives `name` of `index` the number after `last`, which becomes the last one, and returns it (with
    /// ``NameHash/numberedBit`` in an index that derives keys); the caller stores `last` with ``storeLastNumber(_:in:)``.
    func add(
        _ name: IndexedName, in index: NamedIndex, after last: inout UInt64, in transaction: borrowing WriteTransaction
    ) throws -> UInt64 {
        let key = [index.kind.rawValue] + name.bytes
        last += 1
        let number = index.derivesKeys ? last | NameHash.numberedBit : last
        try transaction.put(LogKeys.number(number), forKey: key, in: names)
        return number
    }

    /// Keeps `last` as the last number handed out.
    func storeLastNumber(_ last: UInt64, in transaction: borrowing WriteTransaction) throws {
        try transaction.put(LogKeys.number(last), forKey: Self.lastNumberKey, in: meta)
    }

    /// Removes `name` of `index` from the table unless the index still lists something under its number.
    func forget(_ name: IndexedName, in index: NamedIndex, in transaction: borrowing WriteTransaction) throws {
        guard let key = Self.tableKey(name, in: index.kind),
              let number = try transaction.withValue(key, in: names, { LogKeys.number(from: $0) }),
              try transaction.withValue(LogKeys.number(number), in: index.database, { _ in true }) == nil
        else { return }
        _ = try transaction.delete(key, in: names)
    }
}
