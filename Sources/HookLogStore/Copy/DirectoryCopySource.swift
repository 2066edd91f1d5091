import HookLogCore

/// A data directory's log as a copy reads it (``LogMigration``): its base snapshot with every queue whole, then its
/// records in order, page by page, each with the names its indexes list it under. A record after the base gets the
/// names the state just before it gives, folded as the source's writer folded it; one kept from before the base gets
/// those of its candidates (``IndexCandidates``) the source's index lists it under.
struct DirectoryCopySource {
    private let reader: LogReader
    /// The base snapshot with every queue whole, under the copy's policy; nil for a log never cut.
    let base: HookLogState?
    private var state: HookLogState
    private var candidates: IndexCandidates
    /// The sequence of the last record read; the next page starts after it.
    private(set) var position: UInt64 = 0

    /// A copy of the log `reader` reads, folded under `policy`.
    init(reader: LogReader, policy: DeliveryPolicy) throws {
        self.reader = reader
        base = try reader.databases.environment.read { transaction in
            guard let stored = try BaseSnapshot.load(from: reader.databases, in: transaction) else { return nil }
            var state = stored.state
            if !stored.countsAudits { try Checkpoint.countAudits(into: &state, from: reader, in: transaction) }
            return try reader.withQueuedDeliveries(in: transaction) { log in
                try state.unwindowed(reading: log).governed(by: policy)
            }
        }
        state = base ?? HookLogState(policy: policy, queueWindow: nil)
        candidates = IndexCandidates(base: state)
    }

    /// Up to `limit` records after the last page's, with their names; empty once the log is read.
    mutating func nextPage(limit: Int) throws -> [IndexedRecord] {
        try reader.databases.environment.read { transaction in
            var page: [IndexedRecord] = []
            try reader.forEachRecord(in: transaction, after: position) { entry in
                if entry.sequence <= (base?.lastSequence ?? 0) {
                    let keys = try candidates.keys(of: entry, event: nil, in: reader, in: transaction)
                    page.append(IndexedRecord(entry, names: try reader.listedNames(of: entry.sequence, among: keys, in: transaction)))
                } else {
                    page.append(IndexedRecord(entry, keys: IndexKeys(of: entry.record, in: state)))
                    state.evolve(CollectionOfOne(entry))
                }
                position = entry.sequence
                return page.count < limit
            }
            return page
        }
    }
}

extension LogReader {
    /// Those of `keys`' names that the named indexes list the record at `sequence` under, read in the caller's
    /// transaction.
    func listedNames(
        of sequence: UInt64, among keys: IndexKeys, in transaction: borrowing ReadTransaction
    ) throws -> [NamedIndex.Kind: Set<IndexedName>] {
        var listed: [NamedIndex.Kind: Set<IndexedName>] = [:]
        for index in databases.namedIndexes {
            for name in Set(index.names(in: keys)) {
                var lists = false
                try forEachSequence(listedUnder: name, in: index.database, from: sequence, in: transaction) { found in
                    lists = found == sequence
                    return false
                }
                if lists { listed[index.kind, default: []].insert(name) }
            }
        }
        return listed
    }
}
