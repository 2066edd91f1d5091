import HookLogCore

/// Writes a copy of a log into a data directory that holds none (``LogMigration``): each record at the sequence its
/// log gave it, listed under the names the source lists it under, then the base snapshot, if the source was cut. The
/// directory's store opens it as it opens any log: the base, then the records after it.
///
/// The base comes with every queue whole; the directory keeps it so, under its queue window
/// (``HookLogState/windowed(_:)``).
final class DirectoryRestore: Sendable {
    private let databases: LogDatabases
    private let naming: IndexNaming
    private let lock: DataDirectoryLock

    /// Opens (creating if needed) the data directory at `directory`, which must hold no log, for the copy.
    init(directory: String) throws {
        try DataDirectory.create(at: directory)
        lock = try DataDirectoryLock(directory: directory)
        databases = try LogDatabases(directory: directory, readOnly: false, mapSize: LogStore.Options().mapSize)
        guard let naming = databases.naming else { preconditionFailure("a directory opened for writing has an id table") }
        self.naming = naming
        let held = try LogReader(databases: databases).lastSequence()
        guard held == 0 else {
            close()
            throw LogMigrationError.directoryNotEmpty(held)
        }
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

    /// Stores `base`, the state right after the source's last `HistoryCompacted` with every queue whole, as the
    /// directory's base snapshot.
    func storeBase(_ base: HookLogState) throws {
        let encoded = try BaseSnapshot(state: base.windowed(HookLogState.standardQueueWindow)).encoded()
        try databases.environment.write { transaction in try databases.base.write(encoded, in: transaction) }
    }

    /// Closes the directory.
    func close() {
        databases.environment.close()
        lock.release()
    }
}
