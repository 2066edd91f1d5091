import CLMDB

/// Reads and writes of databases opened with `fixedSizeDuplicates` (``LMDBEnvironment/database(_:fixedSizeDuplicates:)``),
/// where one key holds a sorted set of values.
extension LMDBTransaction {
    /// Visits `key`'s values in order until `body` returns false: forward from the first value at or after `start`,
    /// or in reverse from the last value at or before it. The buffers are valid only inside `body`.
    public func forEachDuplicate(
        of key: [UInt8], in db: LMDBDatabase, from start: [UInt8], reverse: Bool = false,
        _ body: (_ value: UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        try withCursor(db) { cursor in
            var entry = reverse
                ? try cursor.seek(key: key, atOrBeforeValue: start) : try cursor.seek(key: key, atOrAfterValue: start)
            let step = reverse ? MDB_PREV_DUP : MDB_NEXT_DUP
            while let current = entry, try body(current.value) {
                entry = try cursor.move(step)
            }
        }
    }

    /// Visits each key of `db` once, in order, its values passed over (`MDB_NEXT_NODUP`), until `body` returns false.
    public func forEachKey(in db: LMDBDatabase, _ body: (_ key: UnsafeRawBufferPointer) throws -> Bool) throws {
        try withCursor(db) { cursor in
            var entry = try cursor.move(MDB_FIRST)
            while let current = entry, try body(current.key) {
                entry = try cursor.move(MDB_NEXT_NODUP)
            }
        }
    }

    /// The first key of `db` with its first value, copied out of the map; nil when `db` is empty.
    public func firstEntry(in db: LMDBDatabase) throws -> (key: [UInt8], value: [UInt8])? {
        try withCursor(db) { cursor in
            try cursor.move(MDB_FIRST).map { (Array($0.key), Array($0.value)) }
        }
    }

    /// The last key of `db` with its last value, copied out of the map; nil when `db` is empty.
    public func lastEntry(in db: LMDBDatabase) throws -> (key: [UInt8], value: [UInt8])? {
        try withCursor(db) { cursor in
            try cursor.move(MDB_LAST).map { (Array($0.key), Array($0.value)) }
        }
    }
}

extension LMDBTransaction where Access == LMDBAccess.ReadWrite {
    /// Adds `value` to `key`'s values in `db`; a value the key already holds stays once.
    ///
    /// A `placement` that does not hold throws ``LMDBError`` with `MDB_KEYEXIST`.
    public func putDuplicate(
        _ value: [UInt8], forKey key: [UInt8], in db: LMDBDatabase, placement: DuplicatePlacement = .sorted
    ) throws {
        let flags: UInt32 = switch placement {
        case .sorted: 0
        case .afterLastKey: UInt32(MDB_APPEND)
        case .afterLastValue: UInt32(MDB_APPENDDUP)
        }
        try put(value, forKey: key, in: db, flags: flags)
    }

    /// Removes `value` from `key`'s values in `db`; false when the key did not hold it.
    public func deleteDuplicate(_ value: [UInt8], forKey key: [UInt8], in db: LMDBDatabase) throws -> Bool {
        try key.withUnsafeBytes { keyBytes in
            try value.withUnsafeBytes { valueBytes in
                var key = MDB_val(keyBytes)
                var value = MDB_val(valueBytes)
                let rc = mdb_del(handle, db.handle, &key, &value)
                if rc == MDB_NOTFOUND {
                    return false
                }
                try checkWrite(rc, "mdb_del")
                return true
            }
        }
    }
}
