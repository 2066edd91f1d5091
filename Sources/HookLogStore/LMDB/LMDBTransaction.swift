/// What an ``LMDBTransaction`` may do.
public enum LMDBAccess {
    /// Reads only: the transactions of ``LMDBEnvironment/read(_:)``.
    public enum ReadOnly {}
    /// Reads and writes: the transactions of ``LMDBEnvironment/write(_:)``.
    public enum ReadWrite {}
}

/// An LMDB transaction, lent to the closure given to ``LMDBEnvironment/read(_:)`` or
/// ``LMDBEnvironment/write(_:)``.
///
/// It exists only inside that closure: it is non-copyable and borrowed, so it cannot be stored, returned or
/// captured by an escaping closure, and it is not Sendable, so it stays on the thread running the closure.
/// The buffers its methods lend point into LMDB's map and are valid only inside the closures they are lent
/// to. Every transaction reads; write transactions also write. Code that only reads can take
/// `borrowing LMDBTransaction<Access>` and so work in both.
public struct LMDBTransaction<Access>: ~Copyable {
    /// LMDB's transaction handle.
    let handle: OpaquePointer
    /// Records that a write ran out of map space; present in write transactions only.
    let mapFull: MapFullFlag?
}

@available(*, unavailable, message: "a transaction must stay on the thread that runs its closure")
extension LMDBTransaction: Sendable {}

/// A transaction that reads: see ``LMDBEnvironment/read(_:)``.
public typealias ReadTransaction = LMDBTransaction<LMDBAccess.ReadOnly>

/// A transaction that reads and writes: see ``LMDBEnvironment/write(_:)``.
public typealias WriteTransaction = LMDBTransaction<LMDBAccess.ReadWrite>
