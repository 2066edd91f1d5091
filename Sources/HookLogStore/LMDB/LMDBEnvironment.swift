import CLMDB
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open LMDB environment: one memory-mapped data file holding named databases, shared by every thread
/// of this process.
///
/// Work with it through scoped transactions, ``read(_:)`` and ``write(_:)``. The map grows on demand: a
/// write that runs out of room is retried in a map twice as large. Transactions block the calling thread
/// (a writer waits for the previous writer, a commit for the disk), so keep their bodies short and write
/// from one place, such as the one writer actor.
///
/// Open an environment once per process and keep that one instance: LMDB's file locks belong to the
/// process, so closing a second instance of the same environment would release the first one's locks.
public final class LMDBEnvironment: @unchecked Sendable {
    // @unchecked Sendable: every stored property but `handle` is a `let`, and `handle` is replaced only by
    // `reopen(mapSize:)` under `lock` held exclusively, while every use of it holds `lock` shared or
    // exclusively (or is `deinit`, when no other reference exists). LMDB's environment handle may be used from
    // any thread: read transactions are not tied to a thread (MDB_NOTLS) and write transactions are
    // serialized by LMDB's own writer mutex. The calls LMDB forbids to overlap are kept apart here:
    // `mdb_env_set_mapsize` runs only under `lock` held exclusively while every transaction (and
    // `mdb_env_copy2`, `mdb_env_info`, `mdb_env_sync`) holds it shared, and `mdb_dbi_open` runs only under
    // `databaseOpening`. Transactions never leave the thread that began them: their bodies are synchronous
    // and the transaction types are non-copyable and not Sendable.

    /// How to open an environment.
    public struct Options: Sendable {
        /// The initial size of the memory map in bytes; ``LMDBEnvironment/write(_:)`` doubles it when full.
        public var mapSize: Int = 64 << 20
        /// How many named databases the environment can hold.
        public var maxDatabases: UInt32 = 16
        /// How many read transactions can be active at once, across all processes.
        public var maxReaders: UInt32 = 1024
        /// Whether to open the environment read-only (`MDB_RDONLY`): writes fail and databases must exist.
        public var readOnly: Bool = false

        /// Creates options; every parameter defaults to the property's default.
        public init(
            mapSize: Int = 64 << 20,
            maxDatabases: UInt32 = 16,
            maxReaders: UInt32 = 1024,
            readOnly: Bool = false
        ) {
            self.mapSize = mapSize
            self.maxDatabases = maxDatabases
            self.maxReaders = maxReaders
            self.readOnly = readOnly
        }
    }

    /// LMDB's environment handle; read and replaced (``reopen(mapSize:)``) only under `lock`.
    private(set) var handle: OpaquePointer
    /// Held shared by every transaction, exclusively to change the map size or reopen the environment.
    let lock = TransactionLock()
    /// Serializes `mdb_dbi_open`, which LMDB forbids in two transactions at once.
    private let databaseOpening = Mutex(())
    /// The named databases opened so far, by handle, which a reopened environment opens again in the same order.
    private let openedDatabases = Mutex<[MDB_dbi: String]>([:])
    /// Where the environment is and how it was opened, for ``reopen(mapSize:)``.
    private let directory: String
    private let options: Options
    /// Whether the environment was opened read-only.
    private var isReadOnly: Bool { options.readOnly }
    /// Whether ``close()`` has closed the handle; read and set only under `lock`.
    let isClosed = Atomic<Bool>(false)

    /// Opens the environment in `directory`, which must exist; a new environment is created there unless
    /// `options.readOnly` is set. Its files get mode 0600.
    ///
    /// A read-only open of a directory without an environment throws `mdb_env_open: No such file or
    /// directory`; commands check ``DataDirectory/checkReadable(_:)`` first, for an error that tells the user
    /// what is wrong.
    public init(directory: String, options: Options = .init()) throws {
        handle = try Self.open(directory: directory, options: options)
        self.directory = directory
        self.options = options
    }

    /// Creates LMDB's handle for the environment in `directory` and opens it with `options`.
    private static func open(directory: String, options: Options) throws -> OpaquePointer {
        var created: OpaquePointer?
        try LMDBError.check(mdb_env_create(&created), "mdb_env_create")
        let env = created!
        do {
            try LMDBError.check(mdb_env_set_mapsize(env, options.mapSize), "mdb_env_set_mapsize")
            try LMDBError.check(mdb_env_set_maxdbs(env, options.maxDatabases), "mdb_env_set_maxdbs")
            try LMDBError.check(mdb_env_set_maxreaders(env, options.maxReaders), "mdb_env_set_maxreaders")
            var flags = UInt32(MDB_NOTLS)
            if options.readOnly {
                flags |= UInt32(MDB_RDONLY)
            }
            try LMDBError.check(mdb_env_open(env, directory, flags, 0o600), "mdb_env_open")
        } catch {
            mdb_env_close(env)
            throw error
        }
        return env
    }

    deinit {
        if !isClosed.load(ordering: .acquiring) {
            mdb_env_close(handle)
        }
    }

    /// Closes the environment now, once every transaction under way has ended, so that the same directory can
    /// be opened again in this process. Later transactions throw an error with code `EBADF`; closing twice
    /// does nothing.
    public func close() {
        lock.withExclusive {
            if !isClosed.exchange(true, ordering: .acquiringAndReleasing) {
                mdb_env_close(handle)
            }
        }
    }

    /// Opens the named database, creating it unless the environment is read-only.
    ///
    /// With `fixedSizeDuplicates`, each key holds a sorted set of values of one size (`MDB_DUPSORT |
    /// MDB_DUPFIXED`), stored packed; a database keeps the kind it was created with, and opening it as the other
    /// kind throws `MDB_INCOMPATIBLE`. Open each database once, at startup, and keep the handle. Do not call this
    /// inside a transaction.
    /// - Throws: ``LMDBError`` with `MDB_NOTFOUND` when the environment is read-only and the database does
    ///   not exist.
    public func database(_ name: String, fixedSizeDuplicates: Bool = false) throws -> LMDBDatabase {
        try databaseOpening.withLock { _ in
            try withTransaction(readOnly: isReadOnly) { txn in
                var dbi = MDB_dbi()
                var flags = isReadOnly ? 0 : UInt32(MDB_CREATE)
                if fixedSizeDuplicates { flags |= UInt32(MDB_DUPSORT | MDB_DUPFIXED) }
                let rc = mdb_dbi_open(txn, name, flags, &dbi)
                guard rc == MDB_SUCCESS else {
                    mdb_txn_abort(txn)
                    throw LMDBError(code: rc, operation: "mdb_dbi_open")
                }
                // Committing, even a read-only transaction, keeps the handle open for later transactions.
                try LMDBError.check(mdb_txn_commit(txn), "mdb_txn_commit")
                openedDatabases.withLock { $0[dbi] = name }
                return LMDBDatabase(handle: dbi)
            }
        }
    }

    /// The current size of the memory map in bytes.
    public var mapSize: Int {
        lock.withShared { isClosed.load(ordering: .acquiring) ? 0 : currentMapSize() }
    }

    /// Writes a consistent copy of the environment into `directory`, which must exist and be empty, while
    /// other threads and processes go on reading and writing.
    ///
    /// - Parameter compact: whether to leave out free pages and renumber the rest (`MDB_CP_COMPACT`),
    ///   which makes a smaller file and takes longer.
    public func copy(to directory: String, compact: Bool) throws {
        try adoptingResizesElsewhere { () -> TransactionStart<Void> in
            // mdb_env_copy2 runs its own read transaction, so it can meet a map grown by another process.
            let rc = mdb_env_copy2(handle, directory, compact ? UInt32(MDB_CP_COMPACT) : 0)
            if rc == MDB_MAP_RESIZED {
                return .mapResizedElsewhere
            }
            try LMDBError.check(rc, "mdb_env_copy2")
            return .finished(())
        }
    }

    /// Flushes written data to disk now (`mdb_env_sync` with force).
    ///
    /// Committed write transactions are already on disk; this matters only for environments that delay
    /// syncing. It fails with `EACCES` in a read-only environment.
    public func sync() throws {
        try lock.withShared {
            try checkOpen("mdb_env_sync")
            try LMDBError.check(mdb_env_sync(handle, 1), "mdb_env_sync")
        }
    }

    /// Closes LMDB's handle and opens the environment again with a map of `mapSize` bytes, the same options, and
    /// every named database opened before under the same handle, so that each ``LMDBDatabase`` stays valid. What
    /// the data file holds is untouched: LMDB reads its last complete commit back. This is the way out of a handle
    /// LMDB will no longer use (`MDB_PANIC` after a failed meta page write, or a map that failed to grow); when it
    /// fails, the environment is closed. Call with `lock` held exclusively.
    func reopen(mapSize: Int) throws {
        mdb_env_close(handle)
        var reopened = options
        reopened.mapSize = mapSize
        do {
            handle = try Self.open(directory: directory, options: reopened)
        } catch {
            isClosed.store(true, ordering: .releasing)
            throw error
        }
        do {
            try reopenDatabases()
        } catch {
            mdb_env_close(handle)
            isClosed.store(true, ordering: .releasing)
            throw error
        }
    }

    /// Opens the databases opened before, in the order of their handles, which gives each its former handle.
    private func reopenDatabases() throws {
        var txn: OpaquePointer?
        try LMDBError.check(mdb_txn_begin(handle, nil, isReadOnly ? UInt32(MDB_RDONLY) : 0, &txn), "mdb_txn_begin")
        for (expected, name) in openedDatabases.withLock({ $0.sorted { $0.key < $1.key } }) {
            var dbi = MDB_dbi()
            let rc = mdb_dbi_open(txn, name, 0, &dbi)
            guard rc == MDB_SUCCESS, dbi == expected else {
                mdb_txn_abort(txn)
                throw LMDBError(code: rc == MDB_SUCCESS ? MDB_BAD_DBI : rc, operation: "mdb_dbi_open(\(name)) on reopening")
            }
        }
        try LMDBError.check(mdb_txn_commit(txn), "mdb_txn_commit")
    }

    /// Throws `EBADF` for `operation` once the environment is closed; call with `lock` held.
    func checkOpen(_ operation: String) throws(LMDBError) {
        if isClosed.load(ordering: .acquiring) {
            throw LMDBError(code: EBADF, operation: operation + " (environment closed)")
        }
    }

    /// The map size, read with `lock` already held (shared or exclusive).
    func currentMapSize() -> Int {
        var info = MDB_envinfo()
        let rc = mdb_env_info(handle, &info)
        precondition(rc == MDB_SUCCESS, "mdb_env_info fails only without an environment: \(rc)")
        return info.me_mapsize
    }
}
