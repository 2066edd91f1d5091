import CLMDB
import HookLogCore

/// The LMDB environment of a data directory and its named databases: the `log` itself, the query indexes written
/// in the same transactions as the records, and `meta` (format version, checkpoint and base snapshot).
final class LogDatabases: Sendable {
    /// The storage format this build writes; a data directory with a higher one is refused. Format 2 added the
    /// `by_idempotency_key` index, format 3 the `by_queue` index and the disable and enable records that skip and
    /// recover a whole queue at once, format 4 the cut of the log behind a base snapshot (``BaseSnapshot``), which a
    /// build that replays from sequence 1 would misread: an older directory gets the missing indexes, filled from the log, when it is
    /// opened for writing, and builds that would append without maintaining them refuse the directory from then on.
    static let storageFormat: UInt8 = 4
    static let formatKey = Array("format".utf8)
    static let checkpointKey = Array("checkpoint".utf8)

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
    let meta: LMDBDatabase

    /// Opens the databases of the environment in `directory`, creating them unless `readOnly`, and checks the
    /// storage format; opened for writing, a directory of an older format is upgraded.
    init(directory: String, readOnly: Bool, mapSize: Int) throws {
        var options = LMDBEnvironment.Options()
        options.readOnly = readOnly
        options.mapSize = mapSize
        environment = try LMDBEnvironment(directory: directory, options: options)
        do {
            log = try environment.database("log")
            byWebhook = try environment.database("by_webhook")
            byEvent = try environment.database("by_event")
            byWorkspace = try environment.database("by_workspace")
            byDelivery = try environment.database("by_delivery")
            byTime = try environment.database("by_time")
            meta = try environment.database("meta")
        } catch let error as LMDBError where readOnly && error.code == MDB_NOTFOUND {
            throw StoreError.notALog(directory)
        }
        let meta = meta
        let format = try environment.read { try $0.get(Self.formatKey, in: meta) }?.first
        switch format {
        case nil where readOnly:
            throw StoreError.notALog(directory)
        case let version? where version > Self.storageFormat:
            throw StoreError.newerFormat(directory, version)
        default:
            break
        }
        if readOnly {
            byIdempotencyKey = format.map { $0 >= 2 } == true ? try environment.database("by_idempotency_key") : nil
            byQueue = format.map { $0 >= 3 } == true ? try environment.database("by_queue") : nil
        } else {
            byIdempotencyKey = try environment.database("by_idempotency_key")
            byQueue = try environment.database("by_queue")
            if format != Self.storageFormat { try upgrade(from: format) }
        }
    }

    /// Brings a new directory (`format` nil) or an older one to ``storageFormat`` in one transaction, filling the
    /// indexes it lacks from the log: format 1 the idempotency index, formats 1 and 2 the queue index (whose keys
    /// never depend on the state, so each record's are taken alone).
    private func upgrade(from format: UInt8?) throws {
        try environment.write { transaction in
            if let byIdempotencyKey, let byQueue, let format {
                let stateless = HookLogState(policy: .standard, queueWindow: nil)
                try transaction.scan(log) { key, value in
                    let sequence = LogKeys.sequence(from: key)
                    let record = try LogReader.decode(value, sequence)
                    if format < 2, case .eventReceived(let fact) = record.fact, let idempotencyKey = IdempotencyKey(of: fact) {
                        try transaction.put([], forKey: LogKeys.idempotencyEntry(idempotencyKey, sequence), in: byIdempotencyKey)
                    }
                    for webhookID in IndexKeys(of: record, in: stateless).queues {
                        try transaction.put([], forKey: LogKeys.indexEntry(webhookID.rawValue, sequence), in: byQueue)
                    }
                    return true
                }
            }
            try transaction.put([Self.storageFormat], forKey: Self.formatKey, in: meta)
        }
    }
}
