public import HookLogCore

extension LogReader {
    /// Calls `body` with each record after sequence `after` as the log stores it, its sequence and its encoded bytes,
    /// in order, until it returns false: what ``ArchiveWriter/write(records:)`` takes.
    public func forEachStoredRecord(after: UInt64 = 0, _ body: (ArchivedRecord) throws -> Bool) throws {
        guard after < .max else { return }
        try databases.environment.read { transaction in
            try transaction.scan(databases.log, from: LogKeys.sequence(after + 1)) { key, value in
                try body(ArchivedRecord(sequence: LogKeys.sequence(from: key), bytes: Array(value)))
            }
        }
    }

    /// Calls `body` with each record after sequence `after` of the log and of `archive` as one stream in sequence
    /// order, until it returns false: the whole history, from the first record, once compaction has removed old
    /// records from the log into the archive. A record both hold appears once.
    ///
    /// - Throws: ``ArchiveError/differsFromLog(sequence:segments:)`` when the log and the archive hold different bytes
    ///   for the same sequence; any other ``ArchiveError`` of ``ArchiveReader/forEachRecord(after:_:)``; a
    ///   ``StoreError`` for a record that does not decode; whatever `body` throws.
    public func forEachRecord(
        after: UInt64 = 0, mergedWith archive: ArchiveReader, _ body: (LoggedRecord) throws -> Bool
    ) throws {
        try databases.environment.read { transaction in
            try forEachRecord(in: transaction, after: after, mergedWith: archive, body)
        }
    }

    /// ``forEachRecord(after:mergedWith:_:)`` inside a read transaction the caller holds, for reads that must share
    /// one snapshot of the log.
    func forEachRecord(
        in transaction: borrowing ReadTransaction, after: UInt64 = 0, mergedWith archive: ArchiveReader,
        _ body: (LoggedRecord) throws -> Bool
    ) throws {
        guard after < .max else { return }
        var archived = try archive.cursor(after: after)
        var pending = try archived.next()
        var going = true
        /// Passes the archived records up to `sequence` to `body`, while it wants more.
        func passArchived(through sequence: UInt64) throws {
            while going, let record = pending, record.sequence <= sequence {
                going = try body(LoggedRecord(sequence: record.sequence, record: try record.bytes.withUnsafeBytes {
                    try Self.decode($0, record.sequence)
                }))
                pending = try archived.next()
            }
        }
        try transaction.scan(databases.log, from: LogKeys.sequence(after + 1)) { key, value in
            let sequence = LogKeys.sequence(from: key)
            try passArchived(through: sequence - 1)
            guard going else { return false }
            if let record = pending, record.sequence == sequence {
                guard record.bytes.elementsEqual(value) else {
                    throw ArchiveError.differsFromLog(sequence: sequence, segments: archived.segments.map(\.path))
                }
                pending = try archived.next()
            }
            going = try body(LoggedRecord(sequence: sequence, record: try Self.decode(value, sequence)))
            return going
        }
        try passArchived(through: .max)
    }
}
