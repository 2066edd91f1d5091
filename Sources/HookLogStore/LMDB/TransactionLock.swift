#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The reader–writer lock that keeps `mdb_env_set_mapsize` away from live transactions.
///
/// LMDB may change the map size only while no transaction of this process is active, and it checks that
/// only for its own write transaction. So every transaction (and every call that starts one inside LMDB)
/// holds this lock shared for its whole life, and changing the map size holds it exclusively.
///
/// Bodies run synchronously, so a lock is always released by the thread that took it. Taking the lock
/// again on a thread that already holds it is not supported (a transaction inside a transaction).
final class TransactionLock: @unchecked Sendable {
    // @unchecked Sendable: the only stored property is a pointer that is set once in init, never changed,
    // and freed in deinit, when no other reference exists. The pthread_rwlock_t it points to is made to be
    // used from many threads at once, and it never moves in memory, as pthread objects require.
    private let rwlock: UnsafeMutablePointer<pthread_rwlock_t>

    /// Creates an unlocked lock.
    init() {
        rwlock = .allocate(capacity: 1)
        rwlock.initialize(to: pthread_rwlock_t())
        let rc = pthread_rwlock_init(rwlock, nil)
        precondition(rc == 0, "pthread_rwlock_init failed: \(rc)")
    }

    deinit {
        pthread_rwlock_destroy(rwlock)
        rwlock.deallocate()
    }

    /// Runs `body` holding the lock shared: any number of threads may do so at once.
    func withShared<R>(_ body: () throws -> R) rethrows -> R {
        let rc = pthread_rwlock_rdlock(rwlock)
        precondition(rc == 0, "pthread_rwlock_rdlock failed: \(rc)")
        defer { pthread_rwlock_unlock(rwlock) }
        return try body()
    }

    /// Runs `body` holding the lock exclusively, once every shared holder has let go.
    func withExclusive<R>(_ body: () throws -> R) rethrows -> R {
        let rc = pthread_rwlock_wrlock(rwlock)
        precondition(rc == 0, "pthread_rwlock_wrlock failed: \(rc)")
        defer { pthread_rwlock_unlock(rwlock) }
        return try body()
    }
}
