public import HookLogCore

extension PostgresQueries {
    /// What `hooklog rebuild --verify --store` finds: folds every record, in one snapshot, into a fresh state under
    /// `policy`, and checks that the sequences run from 1 with no gap to the head, and that the index holds, kind by
    /// kind, as many rows as the records call for (``IndexKeys``, taken from the state before each record, as the
    /// writer took them).
    public func verify(policy: DeliveryPolicy) async throws -> (records: Int, differences: [String]) {
        try await read { snapshot in
            var state = HookLogState(policy: policy, queueWindow: nil)
            var expected: [NamedIndex.Kind: Int] = [:]
            var records = 0
            var differences: [String] = []
            try await snapshot.forEachRecord(from: 1) { entry in
                records += 1
                if entry.sequence != UInt64(records), differences.isEmpty {
                    differences.append("record \(records) is missing: the log goes on at \(entry.sequence)")
                }
                let keys = IndexKeys(of: entry.record, in: state)
                for kind in NamedIndex.Kind.allCases { expected[kind, default: 0] += Set(kind.names(in: keys)).count }
                state.evolve(entry, refillingFrom: PostgresFoldedLog())
            }
            let head = try await snapshot.lastSequence()
            if head != state.lastSequence {
                differences.append("the head says \(head) records, the log holds records up to \(state.lastSequence)")
            }
            let listed = try await snapshot.indexRowCounts()
            for kind in NamedIndex.Kind.allCases where listed[kind, default: 0] != expected[kind, default: 0] {
                differences.append(
                    "\(kind.databaseName): \(listed[kind, default: 0]) index rows, the records call for \(expected[kind, default: 0])")
            }
            return (records, differences)
        }
    }
}
