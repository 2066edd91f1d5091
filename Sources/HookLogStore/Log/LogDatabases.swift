import CLMDB
import HookLogCore

/// The LMDB environment of a data directory and its named databases: the `log` itself, the query indexes written
/// in the same transactions as the records, and `meta` (format version and checkpoint).
final class LogDatabases: Sendable {
    /// The storage format this build writes; a data directory with a higher one is refused.
    static let storageFormat: UInt8 = 1
    static let formatKey = Array("format".utf8)
    static let checkpointKey = Array("checkpoint".utf8)

    let environment: LMDBEnvironment
    let log: LMDBDatabase
    let byWebhook: LMDBDatabase
    let byEvent: LMDBDatabase
    let byWorkspace: LMDBDatabase
    let byDelivery: LMDBDatabase
    let byTime: LMDBDatabase
    let meta: LMDBDatabase

    /// Opens the databases of the environment in `directory`, creating them unless `readOnly`, and checks the
    /// storage format.
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
        let format = try environment.read { try $0.get(Self.formatKey, in: meta) }
        switch format?.first {
        case nil where readOnly:
            throw StoreError.notALog(directory)
        case nil:
            try environment.write { try $0.put([Self.storageFormat], forKey: Self.formatKey, in: meta) }
        case let version? where version > Self.storageFormat:
            throw StoreError.newerFormat(directory, version)
        default:
            break
        }
    }
}
