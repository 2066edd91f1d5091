extension ArchivedRecord {
    /// The records of several sources, each in ascending sequence order, as one list in ascending sequence order in
    /// which a sequence that several sources hold appears once; sources that hold different bytes for it are an
    /// error naming both.
    static func merging(
        _ sources: [(name: String, records: [ArchivedRecord])]
    ) throws(ArchiveError) -> [ArchivedRecord] {
        let sources = sources.filter { !$0.records.isEmpty }
        guard sources.count > 1 else { return sources.first?.records ?? [] }
        let entries = sources.indices.flatMap { source in sources[source].records.map { (record: $0, source: source) } }
            .sorted { $0.record.sequence < $1.record.sequence }
        var merged: [ArchivedRecord] = []
        var keptSource = 0
        for (record, source) in entries {
            guard let kept = merged.last, kept.sequence == record.sequence else {
                merged.append(record)
                keptSource = source
                continue
            }
            guard kept.bytes == record.bytes else {
                throw .conflictingRecord(sequence: record.sequence, sources[keptSource].name, sources[source].name)
            }
        }
        return merged
    }
}
