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
    /// with `password`, and verifies the copy; the database must hold no log (its tables are created if need be). The
    /// copy is one transaction: one that fails leaves the database empty. Nothing may write the directory meanwhile.
    public static func copy(
        from source: LogReader, policy: DeliveryPolicy, to location: PostgresLocation, password: String?, logger: Logger
    ) async throws -> CopiedLog {
        let pages = Mutex(try DirectoryCopySource(reader: source, policy: policy))
        let base = pages.withLock(\.base)
        var copied = try await PostgresRestore.write(to: location, password: password, base: base, logger: logger) {
            try pages.withLock { try $0.nextPage(limit: chunk) }
        }
        let database = try await PostgresReader.open(location, password: password, logger: logger)
        do {
            copied.differences = try await differences(
                between: source, and: { try await database.queries.records(after: $0, limit: $1) },
                foldingInto: try await database.queries.foldedState(policy: policy), policy: policy,
                through: copied.lastSequence)
        } catch {
            await database.close()
            throw error
        }
        await database.close()
        return copied
    }

    /// Copies the PostgreSQL log `source` queries into `directory`, a data directory that holds no log yet, and
    /// verifies the copy, all in one snapshot of the database: a server may go on writing, and compacting, the source
    /// meanwhile, and the copy is the log as it was when the copy began.
    public static func copy(
        from source: PostgresQueries, toDirectory directory: String, policy: DeliveryPolicy
    ) async throws -> CopiedLog {
        let restore = try DirectoryRestore(directory: directory)
        defer { restore.close() }
        return try await source.read { snapshot in
            try await PostgresPool.waitAsLongAsNeeded(on: snapshot.connection, logger: snapshot.logger)
            let through = try await snapshot.lastSequence()
            let base = try await snapshot.base()
            var copied = CopiedLog(records: 0, lastSequence: 0, baseSequence: base?.sequence ?? 0, differences: [])
            while copied.lastSequence < through {
                let page = try await snapshot.indexedRecords(after: copied.lastSequence, through: through, limit: chunk)
                guard let last = page.last else { break }
                try restore.write(page)
                copied.records += page.count
                copied.lastSequence = last.entry.sequence
            }
            try restore.finish(base: base?.state)
            restore.closeLog()
            copied.differences = try await differences(
                between: try LogReader(directory: directory),
                and: { after, limit in try await snapshot.records(after: after, limit: limit).map { try $0.decoded() } },
                foldingInto: try await snapshot.foldedState(policy: policy), policy: policy, through: through)
            return copied
        }
    }

    /// What differs between the data directory `directory` reads and another log, whose records up to `last`
    /// `theirs` reads a page at a time (after a sequence, at most so many) and whose state folded under `policy` is
    /// `theirState`: their records, compared one by one in order, and their states, every queue whole.
    private static func differences(
        between directory: LogReader, and theirs: (UInt64, Int) async throws -> [LoggedRecord],
        foldingInto theirState: HookLogState, policy: DeliveryPolicy, through last: UInt64
    ) async throws -> [String] {
        var differences: [String] = []
        var after: UInt64 = 0
        while differences.isEmpty, after < last {
            let ours = try directory.records(after: after, limit: chunk, workspace: nil).filter { $0.sequence <= last }
            let others = try await theirs(after, chunk).filter { $0.sequence <= last }
            let same = zip(ours, others).prefix { $0 == $1 }.count
            if let first = [ours.dropFirst(same).first, others.dropFirst(same).first].compactMap({ $0?.sequence }).min() {
                differences.append("the logs differ from record \(first) on")
            }
            guard let page = ours.last else { break }
            after = page.sequence
        }
        let ourState = try directory.wholeState(policy: policy)
        return differences + ourState.differences(from: theirState.wholeQueues(reading: PostgresFoldedLog()))
    }
}

/// What a copy of a log wrote, and what its verification found.
public struct CopiedLog: Sendable, Equatable {
    /// How many records.
    public var records: Int
    /// The last record's sequence; more than `records` once the log was compacted.
    public var lastSequence: UInt64
    /// The sequence of the base snapshot the copy folds from; 0 for a log never cut.
    public var baseSequence: UInt64
    /// What differs between the copy and its source, each read back from where it was written: their records in
    /// order, and their folded states. Empty when the copy is whole.
    public var differences: [String]
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
