import CLMDB

extension LMDBEnvironment {
    /// Runs `body` in a read-only transaction: a consistent snapshot of the last commit, unaffected by
    /// writes that commit while it runs. The transaction always ends (`mdb_txn_abort`) when `body` returns.
    ///
    /// The transaction and every buffer it hands out are valid only inside `body`: return Swift values,
    /// not them. Any number of reads may run at once on any threads. Do not begin another transaction or
    /// open a database inside `body`.
    public func read<T>(_ body: (borrowing ReadTransaction) throws -> T) throws -> T {
        try withTransaction(readOnly: true) { txn in
            defer { mdb_txn_abort(txn) }
            return try body(ReadTransaction(handle: txn, mapFull: nil))
        }
    }

    /// Runs `body` in a write transaction, committed when `body` returns and aborted when it throws.
    ///
    /// Write transactions run one at a time; a second writer waits in LMDB until the first ends. When the
    /// map is full (`MDB_MAP_FULL`, from a write in `body` or from the commit) the transaction is aborted,
    /// the map doubled, and `body` run again from scratch, so `body` must have no effect outside the
    /// transaction and may run more than once. That holds even when `body` catches or wraps the error.
    ///
    /// The transaction and every buffer it hands out are valid only inside `body`. Do not begin another
    /// transaction or open a database inside `body`.
    public func write<T>(_ body: (borrowing WriteTransaction) throws -> T) throws -> T {
        while true {
            let outcome: WriteOutcome<T> = try withTransaction(readOnly: false) { txn in
                let sizeAtStart = currentMapSize()
                let transaction = WriteTransaction(handle: txn, mapFull: MapFullFlag())
                let result: T
                do {
                    result = try body(transaction)
                } catch {
                    mdb_txn_abort(txn)
                    if transaction.hitMapFull {
                        return .mapFull(sizeAtStart)
                    }
                    throw error
                }
                if transaction.hitMapFull {
                    mdb_txn_abort(txn)
                    return .mapFull(sizeAtStart)
                }
                // mdb_txn_commit frees the transaction whether it succeeds or not.
                let rc = mdb_txn_commit(txn)
                if rc == MDB_MAP_FULL {
                    return .mapFull(sizeAtStart)
                }
                try LMDBError.check(rc, "mdb_txn_commit")
                return .committed(result)
            }
            switch outcome {
            case .committed(let result):
                return result
            case .mapFull(let size):
                try growMap(from: size)
            }
        }
    }

    /// Begins a transaction under the shared lock and runs `body` with it; `body` must end it.
    func withTransaction<R>(readOnly: Bool, _ body: (OpaquePointer) throws -> R) throws -> R {
        try adoptingResizesElsewhere {
            var txn: OpaquePointer?
            let rc = mdb_txn_begin(handle, nil, readOnly ? UInt32(MDB_RDONLY) : 0, &txn)
            if rc == MDB_MAP_RESIZED {
                return .mapResizedElsewhere
            }
            try LMDBError.check(rc, "mdb_txn_begin")
            return .finished(try body(txn!))
        }
    }

    /// Runs `attempt` under the shared lock. When it reports that another process grew the map beyond this
    /// process's view of it (`MDB_MAP_RESIZED`), adopts the new size under the exclusive lock
    /// (`mdb_env_set_mapsize` with 0 reads it from the file) and runs `attempt` again.
    func adoptingResizesElsewhere<R>(_ attempt: () throws -> TransactionStart<R>) throws -> R {
        while true {
            let start = try lock.withShared { () throws -> TransactionStart<R> in
                try checkOpen("mdb_txn_begin")
                return try attempt()
            }
            switch start {
            case .finished(let result):
                return result
            case .mapResizedElsewhere:
                try lock.withExclusive {
                    try LMDBError.check(mdb_env_set_mapsize(handle, 0), "mdb_env_set_mapsize")
                }
            }
        }
    }

    /// Doubles the map after a write transaction that began with a map of `size` bytes ran out of room.
    /// Does nothing if another writer has grown it since.
    private func growMap(from size: Int) throws {
        try resizeMap(from: size, to: size * 2)
    }

    /// Makes the map `newSize` bytes when it is still `size` bytes. LMDB unmaps the old map before mapping the new
    /// one, and a map that cannot be made (`ENOMEM`) leaves its handle without one, which the next transaction
    /// would crash on; so the environment is then opened again at `size`, and the write fails with `MDB_MAP_FULL`:
    /// the map cannot grow.
    func resizeMap(from size: Int, to newSize: Int) throws {
        try lock.withExclusive {
            guard currentMapSize() == size else {
                return
            }
            let rc = mdb_env_set_mapsize(handle, newSize)
            guard rc != MDB_SUCCESS else {
                return
            }
            try reopen(mapSize: size)
            let reason = LMDBError(code: rc, operation: "mdb_env_set_mapsize(\(newSize))")
            throw LMDBError(code: MDB_MAP_FULL, operation: "the map cannot grow (\(reason)); mdb_txn_commit")
        }
    }

    /// Opens the environment again (``reopen(mapSize:)``) when LMDB refuses every transaction with `MDB_PANIC`,
    /// which it does for good once a commit failed to write its meta page; returns whether it did. A write that
    /// failed for lack of room calls this, since a full disk can fail that write too. It asks with a read
    /// transaction, so that it waits for the transactions under way (a backup, say) only when it must reopen.
    func reopenIfPanicked() throws -> Bool {
        do {
            try read { _ in }
            return false
        } catch let error as LMDBError where error.code == MDB_PANIC {
            try lock.withExclusive {
                try checkOpen("mdb_env_close")
                try reopen(mapSize: currentMapSize())
            }
            return true
        }
    }
}

extension LMDBEnvironment {
    /// What one try at an LMDB call that begins a transaction gave.
    enum TransactionStart<R> {
        /// The call ran, with this result.
        case finished(R)
        /// Another process grew the map beyond this process's view of it; nothing ran.
        case mapResizedElsewhere
    }
}

/// How one run of a write transaction ended.
private enum WriteOutcome<T> {
    /// Committed, with the body's result.
    case committed(T)
    /// Aborted because the map, this many bytes, was full.
    case mapFull(Int)
}
