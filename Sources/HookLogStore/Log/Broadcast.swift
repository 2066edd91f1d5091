import HookLogCore
import Synchronization

/// The records of every durable commit, one element per commit, to each subscriber: what the delivery engine, the
/// metrics and the live log stream follow.
typealias CommitFeed = Broadcast<[LoggedRecord]>

/// Each element sent, to every subscriber from the moment it subscribed: the commit feed, and the changes of the
/// partitions a fleet node delivers.
final class Broadcast<Element: Sendable>: Sendable {
    private struct Subscribers {
        var continuations: [Int: AsyncStream<Element>.Continuation] = [:]
        var next = 0
        var finished = false
    }

    private let subscribers = Mutex(Subscribers())

    /// A stream of the elements from now on; it ends when the broadcast finishes, and a subscriber that stops
    /// iterating is forgotten.
    func subscribe() -> AsyncStream<Element> {
        let (stream, continuation) = AsyncStream<Element>.makeStream()
        let (id, finished) = subscribers.withLock { subscribers in
            defer { subscribers.next += 1 }
            subscribers.continuations[subscribers.next] = continuation
            return (subscribers.next, subscribers.finished)
        }
        if finished { continuation.finish() }
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.continuations.removeValue(forKey: id) }
        }
        return stream
    }

    /// Tells every subscriber `element`.
    func send(_ element: Element) {
        for continuation in subscribers.withLock({ Array($0.continuations.values) }) { continuation.yield(element) }
    }

    /// Ends every stream, those subscribed later too.
    func finish() {
        let continuations = subscribers.withLock { subscribers in
            subscribers.finished = true
            return Array(subscribers.continuations.values)
        }
        for continuation in continuations { continuation.finish() }
    }
}
