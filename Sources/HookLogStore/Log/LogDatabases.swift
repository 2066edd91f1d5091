import CLMDB
import HookLogCore

/// The LMDB environment of a data directory and its named databases: the `log` itself, the query indexes written
/// in the same transactions as the records, the id table their keys number names by, and `meta` (format version,
/// checkpoint, base snapshot, the id table's last number).
final class LogDatabases: Sendable {
    /// The storage format this build writes; a data directory with a higher one is refused. Format 2 added the
    /// `by_idempotency_key` index, format 3 the `by_queue` index and the disable and enable records that skip and
    /// recover a whole queue at once, format 4 the cut of the log behind a base snapshot (``BaseSnapshot``), which a
    /// build that replays from sequence 1 would misread, format 5 the id table and integer keys in every index
    /// (``LogKeys``), format 6 keys generated event and delivery ids by their leading bits where format 5 hashed them
    /// (``NamedIndex/derivedKey(of:)``), which a format-5 build would not find, format 7 the search index `by_value`
    /// (``ValueIndex``), which an older build would not keep, format 8 the checkpoint and the base snapshot in pieces
    /// (``PiecedValue``), where an older build would find no base, format 9 both compressed (``Checkpoint``'s version
    /// 4), which a format-8 build would take for a damaged base. An older directory is brought to this
    /// format when it is opened for writing (``StorageMigration``), and builds that would append without maintaining
    /// it refuse the directory from then on.
    static let storageFormat: UInt8 = 9
    static let formatKey = Array("format".utf8)
    /// Present in `meta` when a directory of format 5 was brought to format 6 with records in it: its indexes may list
    /// generated ids under their format-5 keys (``IndexNaming/formerKeysRemain``).
    static let formerKeysKey = Array("format5_keys".utf8)
    /// In `meta` when a directory of format 5 or older was brought to format 6 with records in it: the last sequence
    /// whose records the event index may list under the events of their deliveries too (``formerEventEntriesThrough``).
    static let formerEventEntriesKey = Array("format5_event_entries_through".utf8)
    static let checkpointKey = Array("checkpoint".utf8)
    /// Present while a copy is being written into the directory (``DirectoryRestore``): a directory that holds it is
    /// refused, since the copy stopped before it was whole.
    static let incompleteCopyKey = Array("copy_incomplete".utf8)

    /// The checkpoint in `meta` (``Checkpoint``).
    var checkpoint: PiecedValue {
        PiecedValue(name: Self.checkpointKey, in: meta)
    }

    /// The base snapshot of the last compaction pass in `meta` (``BaseSnapshot``).
    var base: PiecedValue {
        PiecedValue(name: BaseSnapshot.key, in: meta)
    }

    let environment: LMDBEnvironment
    let log: LMDBDatabase
    let byWebhook: LMDBDatabase
    let byEvent: LMDBDatabase
    let byWorkspace: LMDBDatabase
    let byDelivery: LMDBDatabase
    let byTime: LMDBDatabase
    /// `EventReceived` records by workspace and `Idempotency-Key`; nil only in a format-1 directory opened read-only.
    let byIdempotencyKey: LMDBDatabase?
    /// The records that change every queued or skipped delivery of a webhook at once, by webhook
    /// (``IndexKeys/queues``); nil only in a directory of format 1 or 2 opened read-only, whose log needs none.
    let byQueue: LMDBDatabase?
    /// The records that create deliveries by the searchable texts of their event's data; nil only in a directory of
    /// format 1 to 6 opened read-only, whose searches read every delivery of the webhook instead.
    let values: ValueIndex?
    /// The id table; nil only in a directory of format 1 to 4 opened read-only, whose indexes are keyed by the names
    /// themselves (``LegacyIndexKeys``).
    let ids: IdTable?
    let meta: LMDBDatabase
    /// Whether the indexes may list generated ids under their format-5 keys (``IndexNaming/formerKeysRemain``).
    let formerKeysRemain: Bool
    /// The last sequence whose records `by_event` may list under the events of their deliveries too, as formats up
    /// to 5 did (``IndexKeys/formerEvents``); 0 when a format-6 build wrote every record, every sequence in a
    /// directory of an older format opened read-only. `rebuild --verify` counts those entries for those records.
    let formerEventEntriesThrough: UInt64

    /// Opens the databases of the environment in `directory`, creating them unless `readOnly`, and checks the
    /// storage format; opened for writing, a directory of an older format is migrated.
    init(
        directory: String, readOnly: Bool, mapSize: Int, valueRunBits: UInt8 = ValueIndex.standardRunBits
    ) throws {
        var options = LMDBEnvironment.Options()
        options.readOnly = readOnly
        options.mapSize = mapSize
        let environment = try LMDBEnvironment(directory: directory, options: options)
        self.environment = environment
        do {
            meta = try environment.database("meta")
        } catch let error as LMDBError where readOnly && error.code == MDB_NOTFOUND {
            throw StoreError.notALog(directory)
        }
        let meta = meta
        let (format, incompleteCopy) = try environment.read { transaction in
            (try transaction.get(Self.formatKey, in: meta)?.first, try transaction.get(Self.incompleteCopyKey, in: meta) != nil)
        }
        guard !incompleteCopy else { throw StoreError.incompleteCopy(directory) }
        switch format {
        case nil where readOnly:
            throw StoreError.notALog(directory)
        case let version? where version > Self.storageFormat:
            throw StoreError.newerFormat(directory, version)
        default:
            break
        }
        if !readOnly, format != Self.storageFormat {
            try StorageMigration(environment: environment, meta: meta, from: format, valueRunBits: valueRunBits).run()
        }
        // Formats 1 to 4 keyed every index entry by the name itself, in plain databases.
        let integerKeys = !readOnly || format.map { $0 >= 5 } == true
        let (formerKeysNoted, formerEventEntries, runBits) = try environment.read { transaction in
            (try transaction.get(Self.formerKeysKey, in: meta) != nil,
             try transaction.withValue(Self.formerEventEntriesKey, in: meta) { LogKeys.sequence(from: $0) },
             try transaction.get(ValueIndex.runBitsKey, in: meta)?.first)
        }
        formerKeysRemain = formerKeysNoted || (readOnly && format == 5)
        // Formats up to 5 listed records under the events of their deliveries too.
        let formerEventsReadOnly = readOnly && format.map { $0 < 6 } == true
        formerEventEntriesThrough = formerEventsReadOnly ? .max : formerEventEntries ?? 0
        /// An index, unless the directory is opened read-only and its format came before the index.
        func index(_ name: String, since firstFormat: UInt8) throws -> LMDBDatabase? {
            guard !readOnly || format.map({ $0 >= firstFormat }) == true else { return nil }
            return try environment.database(name, fixedSizeDuplicates: integerKeys)
        }
        do {
            log = try environment.database("log")
            byWebhook = try environment.database("by_webhook", fixedSizeDuplicates: integerKeys)
            byEvent = try environment.database("by_event", fixedSizeDuplicates: integerKeys)
            byWorkspace = try environment.database("by_workspace", fixedSizeDuplicates: integerKeys)
            byDelivery = try environment.database("by_delivery", fixedSizeDuplicates: integerKeys)
            byTime = try environment.database("by_time", fixedSizeDuplicates: integerKeys)
            byIdempotencyKey = try index("by_idempotency_key", since: 2)
            byQueue = try index("by_queue", since: 3)
            let log = log
            values = try index("by_value", since: 7).map { database in
                ValueIndex(database: database, log: log, runBits: runBits ?? ValueIndex.standardRunBits)
            }
            ids = integerKeys ? IdTable(names: try environment.database("ids"), meta: meta) : nil
        } catch let error as LMDBError where readOnly && error.code == MDB_NOTFOUND {
            throw StoreError.notALog(directory)
        }
    }

    /// Every index that lists records under names, those an older directory opened read-only lacks left out.
    var namedIndexes: [NamedIndex] {
        let indexes: [(NamedIndex.Kind, LMDBDatabase?)] = [
            (.webhooks, byWebhook), (.events, byEvent), (.workspaces, byWorkspace), (.deliveries, byDelivery),
            (.idempotencyKeys, byIdempotencyKey), (.queues, byQueue),
        ]
        return indexes.compactMap { kind, database in database.map { NamedIndex(kind: kind, database: $0) } }
    }

    /// The named index whose database is `database`.
    func namedIndex(_ database: LMDBDatabase) -> NamedIndex? {
        namedIndexes.first { $0.database == database }
    }

    /// How the named indexes key names; nil only in a directory of format 1 to 4 opened read-only, whose indexes are
    /// keyed by the names themselves.
    var naming: IndexNaming? {
        ids.map { IndexNaming(ids: $0, log: log, formerKeysRemain: formerKeysRemain) }
    }
}
