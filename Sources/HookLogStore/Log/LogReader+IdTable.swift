import HookLogCore

extension LogReader {
    /// How the id table disagrees with the indexes, in the caller's read transaction: numbers an index keys that no
    /// name has, names no index lists anything under (compaction should have dropped them), and numbers given to more
    /// than one name. None for an older directory, read by names.
    func idTableDifferences(in transaction: borrowing ReadTransaction) throws -> [String] {
        guard let ids = databases.ids else { return [] }
        var named: [UInt64: Int] = [:]
        try transaction.scan(ids.names) { _, value in
            named[LogKeys.number(from: value), default: 0] += 1
            return true
        }
        var listed: Set<UInt64> = []
        for index in databases.namedIndexes {
            try transaction.forEachKey(in: index) { key in
                listed.insert(LogKeys.number(from: key))
                return true
            }
        }
        let unnamed = listed.subtracting(named.keys).count
        let unlisted = Set(named.keys).subtracting(listed).count
        let shared = named.values.filter { $0 > 1 }.count
        return [
            unnamed > 0 ? "id table: \(unnamed) numbers the indexes key have no name" : nil,
            unlisted > 0 ? "id table: \(unlisted) names no index lists anything under" : nil,
            shared > 0 ? "id table: \(shared) numbers belong to more than one name" : nil,
        ].compactMap { $0 }
    }
}
