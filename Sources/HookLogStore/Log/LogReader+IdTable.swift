import HookLogCore

extension LogReader {
    /// How the id table disagrees with the indexes, in the caller's read transaction: numbers an index keys that no
    /// name of it has (in an index that derives keys, those with ``NameHash/numberedBit``), names whose index lists nothing under
    /// them (compaction should have dropped them), and numbers two names of an index share. None for an older
    /// directory, read by names.
    func idTableDifferences(in transaction: borrowing ReadTransaction) throws -> [String] {
        guard let ids = databases.ids else { return [] }
        var named: [NamedIndex.Kind: [UInt64: Int]] = [:]
        try transaction.scan(ids.names) { key, value in
            if let kind = key.first.flatMap(NamedIndex.Kind.init(rawValue:)) {
                named[kind, default: [:]][LogKeys.number(from: value), default: 0] += 1
            }
            return true
        }
        var (unnamed, unlisted, shared) = (0, 0, 0)
        for index in databases.namedIndexes {
            let numbers = named[index.kind] ?? [:]
            var listed: Set<UInt64> = []
            try transaction.forEachKey(in: index.database) { key in
                let number = LogKeys.number(from: key)
                if !index.derivesKeys || number & NameHash.numberedBit != 0 { listed.insert(number) }
                return true
            }
            unnamed += listed.subtracting(numbers.keys).count
            unlisted += Set(numbers.keys).subtracting(listed).count
            shared += numbers.values.filter { $0 > 1 }.count
        }
        return [
            unnamed > 0 ? "id table: \(unnamed) numbers the indexes key have no name" : nil,
            unlisted > 0 ? "id table: \(unlisted) names no index lists anything under" : nil,
            shared > 0 ? "id table: \(shared) numbers belong to more than one name" : nil,
        ].compactMap { $0 }
    }
}
