import Dispatch
import Foundation
@testable import HookLogStore

/// Holds LMDB's write lock on a thread of its own until released, so that a store's writer, having decided its batch,
/// waits at the commit, and what is submitted meanwhile queues up for the next group commit.
final class WriterHold: Sendable {
    private let held = DispatchSemaphore(value: 0)
    private let released = DispatchSemaphore(value: 0)

    /// Returns once the lock is held; `meanwhile` writes in the holding transaction, which commits on release.
    init(_ store: LogStore, meanwhile: @escaping @Sendable (borrowing WriteTransaction) throws -> Void = { _ in }) {
        let environment = store.reader.databases.environment
        Thread { [held, released] in
            try? environment.write { transaction in
                try meanwhile(transaction)
                held.signal()
                released.wait()
            }
        }.start()
        held.wait()
    }

    /// Lets the writer commit; releasing again does nothing, so a test can also release in a `defer`.
    func release() {
        released.signal()
    }
}
