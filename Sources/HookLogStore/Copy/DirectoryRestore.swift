import HookLogCore
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Writes a copy of a log into a data directory that holds none (``LogMigration``): each record at the sequence its
/// log gave it, listed under the names the source lists it under, then the base snapshot, if the source was cut. The
/// directory's store opens it as it opens any log: the base, then the records after it. Until ``finish(base:)`` the
/// directory is marked as an incomplete copy (``LogDatabases/incompleteCopyKey``), which every open refuses: a copy
/// that stopped half way is never taken for a log.
///
/// The base comes with every queue whole; the directory keeps it so, under its queue window
/// (``HookLogState/windowed(_:)``).
final class DirectoryRestore: Sendable {
    private let databases: LogDatabases
    private let naming: IndexNaming
    private let lock: DataDirectoryLock

    /// Opens (creating if needed) the data directory at `directory`, which must hold no log, for the copy; a
    /// directory that holds one is refused before anything in it is changed.
    init(directory: String) throws {
        try DataDirectory.create(at: directory)
        lock = try DataDirectoryLock(directory: directory)
        let found = try Self.records(in: directory)
        guard found == 0 else { throw LogMigrationError.directoryNotEmpty(found) }
        databases = try LogDatabases(directory: directory, readOnly: false, mapSize: LogStore.Options().mapSize)
        guard let naming = databases.naming else { preconditionFailure("a directory opened for writing has an id table") }
        self.naming = naming
        let held = try LogReader(databases: databases).lastSequence()
        guard held == 0 else {
            close()
            throw LogMigrationError.directoryNotEmpty(held)
        }
        try databases.environment.write { transaction in
            try transaction.put([1], forKey: LogDatabases.incompleteCopyKey, in: databases.meta)
        }
    }

    /// The last sequence of the log `directory` holds, read without changing it; 0 when it has no data file yet.
    private static func records(in directory: String) throws -> UInt64 {
        guard access(directory + "/data.mdb", F_OK) == 0 else { return 0 }
        let probe = try LogReader(directory: directory)
        defer { probe.databases.environment.close() }
        return try probe.lastSequence()
    }

    /// Appends `records`, which come after every record written so far, in one transaction.
    func write(_ records: [IndexedRecord]) throws {
        guard !records.isEmpty else { return }
        try databases.environment.write { transaction in
            var indexes = try IndexEntryWriter(databases, naming: naming, in: transaction)
            for record in records {
                try indexes.append(
                    record.entry, bytes: RecordCodec.encode(record.entry.record),
                    names: { Array(record.names[$0.kind] ?? []) }, in: transaction)
            }
            try indexes.finish(in: transaction)
        }
    }

    /// Ends the copy: stores `base`, the state right after the source's last `HistoryCompacted` with every queue
    /// whole (nil for a log never cut), as the directory's base snapshot, and clears the mark of an incomplete copy,
    /// in one transaction.
    func finish(base: HookLogState?) throws {
        let encoded = try base.map { try BaseSnapshot(state: $0.windowed(HookLogState.standardQueueWindow)).encoded() }
        try databases.environment.write { transaction in
            if let encoded { try databases.base.write(encoded, in: transaction) }
            _ = try transaction.delete(LogDatabases.incompleteCopyKey, in: databases.meta)
        }
    }

    /// Closes the log, keeping the directory's lock, so that the copy can be read back while no server takes the
    /// directory.
    func closeLog() {
        databases.environment.close()
    }

    /// Closes the log and releases the directory.
    func close() {
        closeLog()
        lock.release()
    }
}
