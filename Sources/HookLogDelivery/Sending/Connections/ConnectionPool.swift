import Synchronization

/// The sender's idle kept-alive connections, by ``ConnectionKey``, at most `capacity` in all. An attempt takes one
/// for its key (the newest first) or opens a new one, and gives it back if the answer left it open; a connection
/// that closes while idle (the endpoint's timeout, or the sender's idle timer) leaves the pool.
final class ConnectionPool: Sendable {
    private struct Idle {
        var connections: [ConnectionKey: [HTTPConnection]] = [:]
        var count = 0
        var isShutDown = false
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
            while let connection = idle.connections[key]?.popLast() {
                idle.count -= 1
                if idle.connections[key]?.isEmpty == true { idle.connections[key] = nil }
                if connection.isActive { return connection }
            }
            return nil
        }
    }

    /// Puts `connection` back for another attempt, or closes it if it is closing, the pool is full or shut down.
    func putBack(_ connection: HTTPConnection) {
        let kept = idle.withLock { idle in
            guard !idle.isShutDown, idle.count < capacity, connection.isActive else { return false }
            idle.connections[connection.key, default: []].append(connection)
            idle.count += 1
            return true
        }
        if !kept { connection.close() }
    }

    /// Takes a connection that has closed out of the pool, if it is there.
    func forget(_ connection: HTTPConnection) {
        idle.withLock { idle in
            guard let index = idle.connections[connection.key]?.firstIndex(where: { $0 === connection }) else { return }
            idle.connections[connection.key]?.remove(at: index)
            idle.count -= 1
            if idle.connections[connection.key]?.isEmpty == true { idle.connections[connection.key] = nil }
        }
    }

    /// Closes every idle connection and every one put back from now on.
    func shutDown() {
        let closing = idle.withLock { idle in
            idle.isShutDown = true
            defer {
                idle.connections = [:]
                idle.count = 0
            }
            return Array(idle.connections.values.joined())
        }
        for connection in closing { connection.close() }
    }
}
