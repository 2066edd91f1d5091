import CLMDB
import HookLogCore

/// The LMDB environment of a data directory and its named databases: the `log` itself, the query indexes written
/// in the same transactions as the records, and `meta` (format version and checkpoint).
final class LogDatabases: Sendable {
    /// The storage format this build writes; a data directory with a higher one is refused. Format 2 added the
    /// `by_idempotency_key` index: a format-1 directory gets it, filled from the log, when it is opened for writing,
    /// and builds that would append without maintaining it refuse the directory from then on.
    static let storageFormat: UInt8 = 2
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
            byIdempotencyKey = format == Self.storageFormat ? try environment.database("by_idempotency_key") : nil
        } else {
            byIdempotencyKey = try environment.database("by_idempotency_key")
            if format != Self.storageFormat { try upgrade(from: format) }
        }
    }

    /// Brings a new directory (`format` nil) or a format-1 one to ``storageFormat`` in one transaction; format 1
    /// lacks the idempotency index, which is filled from the log's `EventReceived` records.
    private func upgrade(from format: UInt8?) throws {
        try environment.write { transaction in
            if let byIdempotencyKey, format != nil {
                try transaction.scan(log) { key, value in
                    let sequence = LogKeys.sequence(from: key)
                    if case .eventReceived(let fact) = try LogReader.decode(value, sequence).fact,
                       let idempotencyKey = IdempotencyKey(of: fact) {
                        try transaction.put([], forKey: LogKeys.idempotencyEntry(idempotencyKey, sequence), in: byIdempotencyKey)
                    }
                    return true
                }
            }
            try transaction.put([Self.storageFormat], forKey: Self.formatKey, in: meta)
        }
    }
}
