import CLMDB

/// An LMDB cursor over one database, open only inside ``LMDBTransaction/withCursor(_:_:)``.
struct LMDBCursor: ~Copyable {
    /// The key and value under the cursor, pointing into LMDB's map: valid until the cursor moves or the
    /// transaction ends.
    struct Entry {
        /// The entry's key.
        let key: UnsafeRawBufferPointer
        /// The entry's value.
        let value: UnsafeRawBufferPointer
    }

    /// LMDB's cursor handle.
    let handle: OpaquePointer

    /// Moves by `operation` (`MDB_FIRST`, `MDB_LAST`, `MDB_NEXT`, `MDB_PREV`); nil when there is no such
    /// entry.
    func move(_ operation: MDB_cursor_op) throws -> Entry? {
        var key = MDB_val()
        return try get(operation, &key)
    }

    /// Moves to the first entry whose key is `start` or after it; nil when every key is before `start`.
    func seek(atOrAfter start: [UInt8]) throws -> Entry? {
        try start.withUnsafeBytes { bytes in
            var key = MDB_val(bytes)
            return try get(MDB_SET_RANGE, &key)
        }
    }

    /// Moves to the last entry whose key is `start` or before it; nil when every key is after `start`.
    func seek(atOrBefore start: [UInt8]) throws -> Entry? {
        guard let entry = try seek(atOrAfter: start) else {
            return try move(MDB_LAST)
        }
        return entry.key.elementsEqual(start) ? entry : try move(MDB_PREV)
    }

    /// Calls `mdb_cursor_get`, turning `MDB_NOTFOUND` into nil.
    private func get(_ operation: MDB_cursor_op, _ key: inout MDB_val) throws -> Entry? {
        var value = MDB_val()
        let rc = mdb_cursor_get(handle, &key, &value, operation)
        if rc == MDB_NOTFOUND {
            return nil
        }
        try LMDBError.check(rc, "mdb_cursor_get")
        return Entry(key: key.bytes, value: value.bytes)
    }
}

extension LMDBTransaction {
    /// Opens a cursor over `db`, runs `body` with it, and closes it.
    func withCursor<R>(_ db: LMDBDatabase, _ body: (borrowing LMDBCursor) throws -> R) throws -> R {
        var cursor: OpaquePointer?
        try LMDBError.check(mdb_cursor_open(handle, db.handle, &cursor), "mdb_cursor_open")
        defer { mdb_cursor_close(cursor) }
        return try body(LMDBCursor(handle: cursor!))
    }
}
