import CLMDB

extension LMDBTransaction where Access == LMDBAccess.ReadWrite {
    /// Stores `value` under `key` in `db`, replacing any value there.
    ///
    /// - Parameter append: whether to append (`MDB_APPEND`): faster, for keys that come after every key in
    ///   `db`; a key that does not throws ``LMDBError`` with `MDB_KEYEXIST`.
    public func put(_ value: [UInt8], forKey key: [UInt8], in db: LMDBDatabase, append: Bool = false) throws {
        try value.withUnsafeBytes { bytes in
            try put(bytes, forKey: key, in: db, append: append)
        }
    }

    /// Stores the bytes of `value` under `key` in `db`, copying them straight into the map, with the same
    /// meaning of `append` as the `[UInt8]` overload.
    public func put(
        _ value: UnsafeRawBufferPointer,
        forKey key: [UInt8],
        in db: LMDBDatabase,
        append: Bool = false
    ) throws {
        try put(value, forKey: key, in: db, flags: append ? UInt32(MDB_APPEND) : 0)
    }

    /// `mdb_put` with `flags`.
    func put(_ value: [UInt8], forKey key: [UInt8], in db: LMDBDatabase, flags: UInt32) throws {
        try value.withUnsafeBytes { bytes in try put(bytes, forKey: key, in: db, flags: flags) }
    }

    private func put(_ value: UnsafeRawBufferPointer, forKey key: [UInt8], in db: LMDBDatabase, flags: UInt32) throws {
        try key.withUnsafeBytes { keyBytes in
            var key = MDB_val(keyBytes)
            var data = MDB_val(value)
            try checkWrite(mdb_put(handle, db.handle, &key, &data, flags), "mdb_put")
        }
    }

    /// Removes `key` and its value from `db`; false when there was no such key.
    public func delete(_ key: [UInt8], in db: LMDBDatabase) throws -> Bool {
        try key.withUnsafeBytes { bytes in
            var key = MDB_val(bytes)
            let rc = mdb_del(handle, db.handle, &key, nil)
            if rc == MDB_NOTFOUND {
                return false
            }
            try checkWrite(rc, "mdb_del")
            return true
        }
    }

    /// Opens the named database inside this transaction, creating it if missing, as a database of sorted
    /// fixed-size duplicates when `fixedSizeDuplicates`; the handle outlives the transaction only once it commits.
    /// For a change of a database's kind, after ``drop(_:)`` in the same transaction.
    public func openDatabase(_ name: String, fixedSizeDuplicates: Bool) throws -> LMDBDatabase {
        var dbi = MDB_dbi()
        var flags = UInt32(MDB_CREATE)
        if fixedSizeDuplicates { flags |= UInt32(MDB_DUPSORT | MDB_DUPFIXED) }
        try checkWrite(mdb_dbi_open(handle, name, flags, &dbi), "mdb_dbi_open")
        return LMDBDatabase(handle: dbi)
    }

    /// Deletes `db` from the environment and closes its handle (`mdb_drop`).
    public func drop(_ db: LMDBDatabase) throws {
        try checkWrite(mdb_drop(handle, db.handle, 1), "mdb_drop")
    }

    /// Whether a write in this transaction ran out of map space.
    var hitMapFull: Bool {
        mapFull?.isSet ?? false
    }

    /// Like ``LMDBError/check(_:_:)``, and also records `MDB_MAP_FULL`, so that
    /// ``LMDBEnvironment/write(_:)`` grows the map even if the body catches or wraps the error.
    func checkWrite(_ rc: Int32, _ operation: String) throws {
        if rc == MDB_MAP_FULL {
            mapFull?.isSet = true
        }
        try LMDBError.check(rc, operation)
    }
}

/// Set when a write in a write transaction fails with `MDB_MAP_FULL`.
///
/// After that LMDB refuses to commit the transaction, so ``LMDBEnvironment/write(_:)`` aborts it, grows the
/// map and runs the body again, whatever the body did with the error. A reference, because the transaction
/// is lent to the body and cannot be changed through that loan; it never leaves the writing thread.
final class MapFullFlag {
    /// Whether a write failed with `MDB_MAP_FULL`.
    var isSet = false
}
