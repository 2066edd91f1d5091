import CLMDB

/// A named database inside an ``LMDBEnvironment``, opened with ``LMDBEnvironment/database(_:)``.
///
/// A plain handle (LMDB's `MDB_dbi`), valid in every transaction of the environment that opened it for as
/// long as that environment is open.
public struct LMDBDatabase: Sendable, Hashable {
    /// LMDB's handle for the database.
    let handle: MDB_dbi
}
