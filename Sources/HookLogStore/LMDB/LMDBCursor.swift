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

    /// Moves by `operation` (`MDB_FIRST`, `MDB_LAST`, `MDB_NEXT`, `MDB_PREV`, and in a database of sorted
    /// duplicates `MDB_NEXT_DUP`, `MDB_PREV_DUP`, `MDB_LAST_DUP`, `MDB_NEXT_NODUP`); nil when there is no such entry.
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

    /// Moves to `key`'s first value that is `start` or after it, in a database of sorted duplicates
    /// (`MDB_GET_BOTH_RANGE`); nil when `key` is missing or all its values are before `start`.
    func seek(key: [UInt8], atOrAfterValue start: [UInt8]) throws -> Entry? {
        let found = try key.withUnsafeBytes { keyBytes in
            try start.withUnsafeBytes { valueBytes in
                var key = MDB_val(keyBytes)
                var value = MDB_val(valueBytes)
                return try get(MDB_GET_BOTH_RANGE, &key, &value) != nil
            }
        }
        // `MDB_GET_BOTH_RANGE` leaves the key pointing at the caller's bytes: read the entry back from the map.
        return found ? try move(MDB_GET_CURRENT) : nil
    }

    /// Moves to `key`'s last value that is `start` or before it, in a database of sorted duplicates; nil when
    /// `key` is missing or all its values are after `start`.
    func seek(key: [UInt8], atOrBeforeValue start: [UInt8]) throws -> Entry? {
        if let entry = try seek(key: key, atOrAfterValue: start) {
            return entry.value.elementsEqual(start) ? entry : try move(MDB_PREV_DUP)
        }
        let found = try key.withUnsafeBytes { keyBytes in
            var key = MDB_val(keyBytes)
            return try get(MDB_SET_KEY, &key)
        }
        return found == nil ? nil : try move(MDB_LAST_DUP)
    }

    /// Calls `mdb_cursor_get`, turning `MDB_NOTFOUND` into nil.
    private func get(_ operation: MDB_cursor_op, _ key: inout MDB_val) throws -> Entry? {
        var value = MDB_val()
        return try get(operation, &key, &value)
    }

    /// Calls `mdb_cursor_get` with a value to look for too, turning `MDB_NOTFOUND` into nil.
    private func get(_ operation: MDB_cursor_op, _ key: inout MDB_val, _ value: inout MDB_val) throws -> Entry? {
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
