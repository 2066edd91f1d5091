import DequeModule
import Synchronization

/// The sender's idle kept-alive connections, by ``ConnectionKey``, at most `capacity` in all. An attempt takes one
/// for its key (the newest first) or opens a new one, and gives it back if the answer left it open; when the pool is
/// full, the connection idle the longest is closed to make room, so the endpoints in use keep theirs however many
/// endpoints there are. A connection that closes while idle (the endpoint's timeout, or the sender's idle timer)
/// leaves the pool.
final class ConnectionPool: Sendable {
    private struct Idle {
        var connections: [ConnectionKey: [HTTPConnection]] = [:]
        /// Each idle connection's put-back number: the larger, the more recently it came back.
        var putBackNumbers: [ObjectIdentifier: UInt64] = [:]
        /// Connections in the order they came back, oldest first, with the number they came back with. An entry
        /// whose number is no longer the connection's (taken, closed, or back again since) is stale and skipped.
        var putBackOrder: Deque<(number: UInt64, connection: HTTPConnection)> = []
        var nextNumber: UInt64 = 0
        var isShutDown = false

        var count: Int { putBackNumbers.count }

        mutating func add(_ connection: HTTPConnection) {
            connections[connection.key, default: []].append(connection)
            putBackNumbers[ObjectIdentifier(connection)] = nextNumber
            putBackOrder.append((nextNumber, connection))
            nextNumber += 1
            if putBackOrder.count > 2 * count + 64 { dropStaleEntries() }
        }

        /// Takes the connection for `key` that came back last out of the pool.
        mutating func removeNewest(for key: ConnectionKey) -> HTTPConnection? {
            guard let connection = connections[key]?.popLast() else { return nil }
            if connections[key]?.isEmpty == true { connections[key] = nil }
            putBackNumbers[ObjectIdentifier(connection)] = nil
            return connection
        }

        /// Takes `connection` out of the pool; false if it was not in it.
        mutating func remove(_ connection: HTTPConnection) -> Bool {
            guard putBackNumbers.removeValue(forKey: ObjectIdentifier(connection)) != nil,
                let index = connections[connection.key]?.firstIndex(where: { $0 === connection })
            else { return false }
            connections[connection.key]?.remove(at: index)
            if connections[connection.key]?.isEmpty == true { connections[connection.key] = nil }
            return true
        }

        /// Takes the connection idle the longest out of the pool.
        mutating func removeLeastRecentlyUsed() -> HTTPConnection? {
            while let entry = putBackOrder.popFirst() {
                if putBackNumbers[ObjectIdentifier(entry.connection)] == entry.number, remove(entry.connection) {
                    return entry.connection
                }
            }
            return nil
        }

        /// Keeps `putBackOrder` in proportion to the pool: attempts that take connections leave their entries behind.
        private mutating func dropStaleEntries() {
            putBackOrder = Deque(putBackOrder.filter { putBackNumbers[ObjectIdentifier($0.connection)] == $0.number })
        }
    }

    private let idle = Mutex(Idle())
    private let capacity: Int

    /// A pool keeping at most `capacity` idle connections.
    init(capacity: Int) {
        self.capacity = capacity
    }

    /// An open idle connection for `key`, taken out of the pool, or nil if there is none.
    func take(for key: ConnectionKey) -> HTTPConnection? {
        idle.withLock { idle in
            while let connection = idle.removeNewest(for: key) {
                if connection.isActive { return connection }
            }
            return nil
        }
    }

    /// Puts `connection` back for another attempt, closing the connection idle the longest if the pool is full; closes
    /// `connection` instead if it is closing or the pool is shut down.
    func putBack(_ connection: HTTPConnection) {
        let (kept, evicted) = idle.withLock { idle -> (Bool, HTTPConnection?) in
            guard !idle.isShutDown, capacity > 0, connection.isActive else { return (false, nil) }
            let evicted = idle.count < capacity ? nil : idle.removeLeastRecentlyUsed()
            idle.add(connection)
            return (true, evicted)
        }
        evicted?.close()
        if !kept { connection.close() }
    }

    /// Takes a connection that has closed out of the pool, if it is there.
    func forget(_ connection: HTTPConnection) {
        _ = idle.withLock { idle in idle.remove(connection) }
    }

    /// Closes every idle connection and every one put back from now on.
    func shutDown() {
        let closing = idle.withLock { idle in
            idle.isShutDown = true
            defer { idle = Idle(isShutDown: true) }
            return Array(idle.connections.values.joined())
        }
        for connection in closing { connection.close() }
    }
}
