import Dispatch
import HookLogCore
import Synchronization

/// Counts the keys of the search index (``ValueIndex``) that the events of a replay call for, on a thread of its own:
/// hashing every searchable text of every event is about a sixth of `rebuild --verify`'s work and needs nothing of
/// the fold, so the replay hands the events over in batches and goes on folding on the other core.
final class SearchKeyCounter: Sendable {
    /// An event to count the keys of: its data, its workspace and the run of the record that brings or redelivers it.
    struct Event: Sendable {
        let data: [UInt8]
        let workspaceID: WorkspaceID
        let run: UInt64
    }

    /// How many events are handed over at a time.
    private static let batchSize = 4_096

    private let waiting = Mutex<[Event]>([])
    private let counted = Mutex(0)
    private let queue = DispatchQueue(label: "hooklog-search-key-counter", qos: .userInitiated)
    private let counting = DispatchGroup()

    /// Counts `event`'s keys, later and elsewhere.
    func add(_ event: Event) {
        let batch = waiting.withLock { waiting -> [Event]? in
            waiting.append(event)
            guard waiting.count >= Self.batchSize else { return nil }
            defer { waiting = [] }
            return waiting
        }
        if let batch { count(batch) }
    }

    /// The keys of every event added, once all are counted.
    func total() -> Int {
        count(waiting.withLock { waiting in
            defer { waiting = [] }
            return waiting
        })
        counting.wait()
        return counted.withLock { $0 }
    }

    private func count(_ batch: [Event]) {
        queue.async(group: counting) { [self] in
            let keys = batch.reduce(0) { $0 + ValueIndex.keys(of: $1.data, in: $1.workspaceID, run: $1.run).count }
            counted.withLock { $0 += keys }
        }
    }
}
