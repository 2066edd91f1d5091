/// A copyable stand-in for a read transaction, for code that must keep one in a value (a source of records that a
/// fold reads from while it runs inside the transaction).
///
/// It is lent by ``LMDBTransaction/withLoan(_:)`` and valid only inside that call: the transaction it stands for
/// ends when the lender's closure returns. It owns nothing and never ends the transaction itself.
struct ReadTransactionLoan {
    private let handle: OpaquePointer

    fileprivate init(handle: OpaquePointer) {
        self.handle = handle
    }

    /// Runs `body` with the lent transaction.
    func read<T>(_ body: (borrowing ReadTransaction) throws -> T) rethrows -> T {
        try body(ReadTransaction(handle: handle, mapFull: nil))
    }
}

extension LMDBTransaction where Access == LMDBAccess.ReadOnly {
    /// Runs `body` with a loan of this transaction, valid until `body` returns.
    func withLoan<T>(_ body: (ReadTransactionLoan) throws -> T) rethrows -> T {
        try body(ReadTransactionLoan(handle: handle))
    }
}
