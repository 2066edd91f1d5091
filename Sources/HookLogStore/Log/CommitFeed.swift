import HookLogCore
import Synchronization

/// The records of every durable commit, one element per commit, to each subscriber: what the delivery engine, the
/// metrics and the live log stream follow.
final class CommitFeed: Sendable {
    private struct Subscribers {
        var continuations: [Int: AsyncStream<[LoggedRecord]>.Continuation] = [:]
        var next = 0
        var finished = false
    }

    private let subscribers = Mutex(Subscribers())

    /// A stream of the commits from now on; it ends when the feed finishes, and a subscriber that stops iterating
    /// is forgotten.
    func subscribe() -> AsyncStream<[LoggedRecord]> {
        let (stream, continuation) = AsyncStream<[LoggedRecord]>.makeStream()
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

    /// Tells every subscriber the records of one durable commit.
    func send(_ committed: [LoggedRecord]) {
        guard !committed.isEmpty else { return }
        for continuation in subscribers.withLock({ Array($0.continuations.values) }) { continuation.yield(committed) }
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
