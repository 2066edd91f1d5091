public import HookLogCore

/// Copies a log between a data directory and a PostgreSQL database (`hooklog migrate`), record for record, and
/// verifies the copy: the same records in the same order, read back from where they were written, and the same state
/// folded from each.
///
/// A copy goes into an empty log only, and a log whose history was compacted is not copied: its records start after
/// a base snapshot and keep their sequences across the gaps compaction left, which a copy, numbering the records it
/// appends, cannot give them yet (docs/postgres.md).
public enum LogMigration {
    /// How many records one append carries.
    static let chunk = 2_000

    /// Refuses a data directory that cannot be copied into PostgreSQL: one whose history was compacted.
    public static func checkCopyable(_ source: LogReader) throws {
        if let start = try source.historyStart() { throw LogMigrationError.compacted("the data directory", start.at) }
    }

    /// Refuses a PostgreSQL log that cannot be copied into a data directory: one whose history was compacted.
    public static func checkCopyable(_ source: PostgresQueries) async throws {
        if let start = try await source.historyStart() { throw LogMigrationError.compacted("the PostgreSQL log", start.at) }
    }

    /// Copies the data directory `source` reads into `target`, an empty PostgreSQL log; returns how many records.
    public static func copy(from source: LogReader, to target: PostgresLog) async throws -> UInt64 {
        try checkCopyable(source)
        let held = target.withState(\.lastSequence)
        guard held == 0 else { throw PostgresLogError.notEmpty(held) }
        return try await copy(pages: { after in try source.records(after: after, limit: chunk, workspace: nil) }, append: target.append)
    }

    /// Copies the PostgreSQL log `source` queries, up to its last record when the copy starts, into `target`, a data
    /// directory that holds no log yet; returns how many records. Records appended meanwhile are not copied, so a
    /// server may go on writing the source: the copy is the log as it was when the copy started.
    public static func copy(from source: PostgresQueries, to target: LogStore) async throws -> UInt64 {
        let held = target.withState(\.lastSequence)
        guard held == 0 else { throw LogMigrationError.directoryNotEmpty(held) }
        try await checkCopyable(source)
        let through = try await source.lastSequence()
        return try await copy(pages: { after in
            try await source.records(after: after, limit: Int(min(UInt64(chunk), through - after)))
        }, append: target.append)
    }

    private static func copy(
        pages: (UInt64) async throws -> [LoggedRecord], append: ([Record]) async throws -> [LoggedRecord]
    ) async throws -> UInt64 {
        var after: UInt64 = 0
        while true {
            let page = try await pages(after)
            guard let last = page.last else { return after }
            guard try await append(page.map(\.record)) == page else { throw LogMigrationError.renumbered(after: after) }
            after = last.sequence
        }
    }

    /// What differs between the data directory `directory` reads and the PostgreSQL log `database` queries: their
    /// records, compared one by one in order, and the states folded from them under `policy`. Empty when the copy is
    /// whole. With `through`, only the database's records up to it are compared and folded: its writer may have gone
    /// on.
    public static func differences(
        between directory: LogReader, and database: PostgresQueries, policy: DeliveryPolicy, through: UInt64? = nil
    ) async throws -> [String] {
        var differences: [String] = []
        var after: UInt64 = 0
        let last = through ?? .max
        while differences.isEmpty, after < last {
            let limit = Int(min(UInt64(chunk), last - after))
            let ours = try directory.records(after: after, limit: limit, workspace: nil)
            let theirs = try await database.records(after: after, limit: limit)
            let same = zip(ours, theirs).prefix { $0 == $1 }.count
            if same < max(ours.count, theirs.count) {
                differences.append("the logs differ from record \(after + UInt64(same) + 1) on")
            }
            guard let last = ours.last else { break }
            after = last.sequence
        }
        let folded = try Rebuild.replay(directory, policy: policy, queueWindow: nil).state
        differences += folded.differences(from: try await database.foldedState(policy: policy, through: last))
        return differences
    }
}

/// Why a log cannot be copied.
public enum LogMigrationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The source (named) was compacted: its history starts at this time.
    case compacted(String, Timestamp)
    /// The target directory already holds a log of this many records.
    case directoryNotEmpty(UInt64)
    /// The target gave the records after this sequence other sequences than the source's.
    case renumbered(after: UInt64)

    public var description: String {
        switch self {
        case .compacted(let source, let start):
            "\(source) was compacted (its history starts at \(start)), and a copy cannot keep a compacted log's sequences yet"
        case .directoryNotEmpty(let records):
            "the target directory already holds a log of \(records) records; copy into a new or empty directory"
        case .renumbered(let after):
            "the copy numbered the records after \(after) differently; it is not a copy"
        }
    }
}
