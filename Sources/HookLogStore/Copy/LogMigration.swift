public import HookLogCore
public import Logging
import Synchronization

/// Copies a log between a data directory and a PostgreSQL database (`hooklog migrate`, `hooklog backup --store`) and
/// verifies the copy: the same records in the same order, read back from where they were written, and the same state
/// folded from each.
///
/// A copy keeps every record at the sequence its log gave it, listed under the same names in the same indexes, and,
/// once the log has been compacted, its base snapshot: the records kept from before the base and the gaps compaction
/// left stay as they are, so the copy answers every query as its source does, and folds into the same state. A copy
/// goes into a log that holds no record.
public enum LogMigration {
    /// How many records one page of a copy carries.
    static let chunk = 2_000

    /// Copies the data directory `source` reads, folded under `policy`, into the database at `location`, signing in
    /// with `password`; the database must hold no log (its tables are created if need be). The copy is one
    /// transaction: one that fails leaves the database empty.
    public static func copy(
        from source: LogReader, policy: DeliveryPolicy, to location: PostgresLocation, password: String?, logger: Logger
    ) async throws -> CopiedLog {
        let pages = Mutex(try DirectoryCopySource(reader: source, policy: policy))
        let base = pages.withLock(\.base)
        return try await PostgresRestore.write(to: location, password: password, base: base, logger: logger) {
            try pages.withLock { try $0.nextPage(limit: chunk) }
        }
    }

    /// Copies the PostgreSQL log `source` queries, as one snapshot sees it when the copy starts, into `directory`, a
    /// data directory that holds no log yet. A server may go on writing, and compacting, the source meanwhile: the copy
    /// is the log as it was.
    public static func copy(from source: PostgresQueries, toDirectory directory: String) async throws -> CopiedLog {
        let restore = try DirectoryRestore(directory: directory)
        defer { restore.close() }
        return try await source.read { snapshot in
            let through = try await snapshot.lastSequence()
            let base = try await snapshot.base()
            var copied = CopiedLog(records: 0, lastSequence: 0, baseSequence: base?.sequence ?? 0)
            while copied.lastSequence < through {
                let page = try await snapshot.indexedRecords(after: copied.lastSequence, through: through, limit: chunk)
                guard let last = page.last else { break }
                try restore.write(page)
                copied.records += page.count
                copied.lastSequence = last.entry.sequence
            }
            if let base { try restore.storeBase(base.state) }
            return copied
        }
    }

    /// What differs between the data directory `directory` reads and the PostgreSQL log `database` queries: their
    /// records, compared one by one in order, and the states folded from them under `policy`, every queue whole. Empty
    /// when the copy is whole. With `through`, only the database's records up to it are compared and folded: its
    /// writer may have gone on.
    public static func differences(
        between directory: LogReader, and database: PostgresQueries, policy: DeliveryPolicy, through: UInt64? = nil
    ) async throws -> [String] {
        var differences: [String] = []
        var after: UInt64 = 0
        let last = through ?? .max
        while differences.isEmpty, after < last {
            let ours = try directory.records(after: after, limit: chunk, workspace: nil).filter { $0.sequence <= last }
            let theirs = try await database.records(after: after, limit: chunk).filter { $0.sequence <= last }
            let same = zip(ours, theirs).prefix { $0 == $1 }.count
            if let first = [ours.dropFirst(same).first, theirs.dropFirst(same).first].compactMap({ $0?.sequence }).min() {
                differences.append("the logs differ from record \(first) on")
            }
            guard let page = ours.last else { break }
            after = page.sequence
        }
        let ourState = try directory.wholeState(policy: policy)
        let theirState = try await database.foldedState(policy: policy, through: last)
        differences += ourState.differences(from: try theirState.wholeQueues(reading: PostgresFoldedLog()))
        return differences
    }
}

/// What a copy of a log wrote.
public struct CopiedLog: Sendable, Equatable {
    /// How many records.
    public var records: Int
    /// The last record's sequence; more than `records` once the log was compacted.
    public var lastSequence: UInt64
    /// The sequence of the base snapshot the copy folds from; 0 for a log never cut.
    public var baseSequence: UInt64
}

/// Why a log cannot be copied.
public enum LogMigrationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The target directory already holds a log of this many records.
    case directoryNotEmpty(UInt64)

    public var description: String {
        switch self {
        case .directoryNotEmpty(let records):
            "the target directory already holds a log of \(records) records; copy into a new or empty directory"
        }
    }
}
