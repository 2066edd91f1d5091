public import HookLogCore

extension PostgresQueries {
    /// What `hooklog rebuild --verify --store` finds: folds, in one snapshot, every record after the base snapshot
    /// onto it (onto a fresh state for a log never cut) under `policy`, and checks that those records' sequences run
    /// with no gap to the head, and that the index holds for them, kind by kind, as many rows as they call for
    /// (``IndexKeys``, taken from the state before each record, as the writer took them). Rows of records before the
    /// base point to records the log holds: the table's foreign key sees to it. Says how many records it folded, and the
    /// base's sequence (0 for a log never cut).
    public func verify(policy: DeliveryPolicy) async throws -> (records: Int, base: UInt64, differences: [String]) {
        try await read { snapshot in
            var state = try await snapshot.startingState(policy: policy)
            let base = state.lastSequence
            var expected: [NamedIndex.Kind: Int] = [:]
            var records = 0
            var differences: [String] = []
            try await snapshot.forEachRecord(from: base + 1) { entry in
                records += 1
                if entry.sequence != state.lastSequence + 1, differences.isEmpty {
                    differences.append("record \(state.lastSequence + 1) is missing: the log goes on at \(entry.sequence)")
                }
                let keys = IndexKeys(of: entry.record, in: state)
                for kind in NamedIndex.Kind.allCases { expected[kind, default: 0] += Set(kind.names(in: keys)).count }
                state.evolve(entry, refillingFrom: PostgresFoldedLog())
            }
            let head = try await snapshot.lastSequence()
            if head != state.lastSequence {
                differences.append("the head says \(head) records, the log holds records up to \(state.lastSequence)")
            }
            let listed = try await snapshot.indexRowCounts(after: base)
            for kind in NamedIndex.Kind.allCases where listed[kind, default: 0] != expected[kind, default: 0] {
                differences.append(
                    "\(kind.databaseName): \(listed[kind, default: 0]) index rows, the records call for \(expected[kind, default: 0])")
            }
            return (records, base, differences)
        }
    }
}
