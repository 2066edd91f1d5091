import CLMDB

extension LMDBTransaction {
    /// The value stored under `key` in `db`, copied out of the map; nil when there is none.
    public func get(_ key: [UInt8], in db: LMDBDatabase) throws -> [UInt8]? {
        try withValue(key, in: db) { Array($0) }
    }

    /// Runs `body` with the value stored under `key` in `db`, in place in the map, without copying it;
    /// nil when there is none. The buffer is valid only inside `body`.
    public func withValue<T>(
        _ key: [UInt8],
        in db: LMDBDatabase,
        _ body: (UnsafeRawBufferPointer) throws -> T
    ) throws -> T? {
        let value: MDB_val? = try key.withUnsafeBytes { bytes in
            var key = MDB_val(bytes)
            var value = MDB_val()
            let rc = mdb_get(handle, db.handle, &key, &value)
            if rc == MDB_NOTFOUND {
                return nil
            }
            try LMDBError.check(rc, "mdb_get")
            return value
        }
        return try value.map { try body($0.bytes) }
    }

    /// Visits the entries of `db` in key order (bytewise, so big-endian integer keys come in numeric order)
    /// until `body` returns false.
    ///
    /// Forward, the scan starts at the first key at or after `start`, or at the first key when `start` is
    /// nil. In reverse it starts at the last key at or before `start`, or at the last key when `start` is
    /// nil, and goes backwards. The buffers are valid only inside `body`.
    public func scan(
        _ db: LMDBDatabase,
        from start: [UInt8]? = nil,
        reverse: Bool = false,
        _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        try withCursor(db) { cursor in
            var entry: LMDBCursor.Entry?
            switch (start, reverse) {
            case (nil, false): entry = try cursor.move(MDB_FIRST)
            case (nil, true): entry = try cursor.move(MDB_LAST)
            case (let start?, false): entry = try cursor.seek(atOrAfter: start)
            case (let start?, true): entry = try cursor.seek(atOrBefore: start)
            }
            let step = reverse ? MDB_PREV : MDB_NEXT
            while let current = entry, try body(current.key, current.value) {
                entry = try cursor.move(step)
            }
        }
    }

    /// The greatest key in `db`; nil when it is empty.
    public func lastKey(in db: LMDBDatabase) throws -> [UInt8]? {
        try withCursor(db) { cursor in
            try cursor.move(MDB_LAST).map { Array($0.key) }
        }
    }

    /// How many entries `db` holds (`ms_entries` of `mdb_stat`).
    public func count(of db: LMDBDatabase) throws -> Int {
        var stat = MDB_stat()
        try LMDBError.check(mdb_stat(handle, db.handle, &stat), "mdb_stat")
        return stat.ms_entries
    }
}
