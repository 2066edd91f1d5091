/// A compaction's write, which the log's writer makes in the transaction of its next group commit, so that one fsync
/// serves both and appends never wait behind a transaction of compaction's own (docs/rules.md §3.7).
enum Housekeeping: Sendable {
    /// Stores a base snapshot's encoded bytes (``BaseSnapshot/encoded()``); answered once they are durable.
    case storeBase([UInt8], CheckedContinuation<Void, any Error>)
    /// Removes a chunk's records and their index entries, but those of events queued again after the sequence
    /// `since` (the compaction's base); answered with what went and what stayed.
    case remove(CompactionChunk, since: UInt64, CheckedContinuation<ChunkRemoval, any Error>)

    /// Tells the compaction waiting for it that it was not done, and why.
    func fail(_ error: any Error) {
        switch self {
        case .storeBase(_, let continuation): continuation.resume(throwing: error)
        case .remove(_, _, let continuation): continuation.resume(throwing: error)
        }
    }
}

/// A ``Housekeeping`` the writer has settled against its working state, ready to write: for a removal, the records
/// that may go now that the batch it rides with is folded.
struct SettledHousekeeping: Sendable {
    let job: Housekeeping
    /// The records to delete; empty for a base.
    let removable: [CompactionChunk.Removal]
    /// The chunk's events whose records stay because a delivery of theirs was queued again.
    let keptEvents: Set<UInt64>

    /// Settles `job` given the events queued again since its base (`requeued`).
    init(_ job: Housekeeping, requeued: Set<UInt64>) {
        self.job = job
        guard case .remove(let chunk, _, _) = job else {
            (removable, keptEvents) = ([], [])
            return
        }
        removable = chunk.removals.filter { $0.events.allSatisfy { !requeued.contains($0) } }
        keptEvents = requeued.intersection(chunk.removals.flatMap(\.events))
    }

    /// Writes it in `transaction`: the base's pieces, or the deletions and the names the id table may forget.
    func write(to databases: LogDatabases, naming: IndexNaming, in transaction: borrowing WriteTransaction) throws {
        if case .storeBase(let bytes, _) = job {
            try databases.base.write(bytes, in: transaction)
            return
        }
        for record in removable {
            _ = try transaction.delete(LogKeys.sequence(record.sequence), in: databases.log)
            for entry in record.indexEntries {
                _ = try transaction.deleteDuplicate(entry.value, forKey: entry.key, in: entry.database)
            }
        }
        for index in databases.namedIndexes {
            for name in Set(removable.flatMap { $0.names[index.kind] ?? [] }) {
                try naming.ids.forget(name, in: index, in: transaction)
            }
        }
    }

    /// Tells the compaction waiting for it that it is durable.
    func succeed() {
        switch job {
        case .storeBase(_, let continuation): continuation.resume()
        case .remove(_, _, let continuation):
            continuation.resume(returning: ChunkRemoval(removed: removable.count, keptEvents: keptEvents))
        }
    }
}
