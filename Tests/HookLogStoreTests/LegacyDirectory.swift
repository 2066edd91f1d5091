import Foundation
import HookLogCore
@testable import HookLogStore
import Testing

/// Writes a copy of a closed data directory as a build of an older storage format would have written it
/// (``LegacyIndexKeys``): the log and `meta` as they are, every index entry keyed by the name itself, no id table, and
/// none of the indexes that format lacked (`by_idempotency_key` came with format 2, `by_queue` with format 3).
enum LegacyDirectory {
    static func copy(from source: String, to destination: String, format: UInt8) throws {
        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: false)
        let from = try LogDatabases(directory: source, readOnly: true, mapSize: 0)
        let to = try LMDBEnvironment(directory: destination)
        defer {
            from.environment.close()
            to.close()
        }
        let ids = try #require(from.ids)
        let names = try from.environment.read { transaction in
            var names: [UInt64: [UInt8]] = [:]
            try transaction.scan(ids.names) { key, value in
                names[LogKeys.number(from: value)] = Array(key)
                return true
            }
            return names
        }
        var indexes: [(String, LMDBDatabase)] = [
            ("by_webhook", from.byWebhook), ("by_event", from.byEvent), ("by_workspace", from.byWorkspace),
            ("by_delivery", from.byDelivery),
        ]
        if format >= 2, let index = from.byIdempotencyKey { indexes.append(("by_idempotency_key", index)) }
        if format >= 3, let index = from.byQueue { indexes.append(("by_queue", index)) }
        try copy("log", from.log, from.environment, to) { key, value in [(Array(key), Array(value))] }
        try copy("meta", from.meta, from.environment, to) { key, value in
            switch Array(key) {
            case IdTable.lastNumberKey: []
            case LogDatabases.formatKey: [(LogDatabases.formatKey, [format])]
            default: [(Array(key), Array(value))]
            }
        }
        for (name, index) in indexes {
            try copy(name, index, from.environment, to) { key, value in
                let name = IndexedName(bytes: names[LogKeys.number(from: key)] ?? [])
                return [(LegacyIndexKeys.entry(name, LogKeys.sequence(from: value)), [])]
            }
        }
        try copy("by_time", from.byTime, from.environment, to) { key, value in
            let at = LogKeys.time(fromTimeIndexKey: key, value: value)
            return [(LegacyIndexKeys.timeEntry(at, LogKeys.sequence(fromTimeIndexValue: value)), [])]
        }
    }

    /// Copies the entries of `database` into a plain database of the same name, as `convert` turns them.
    private static func copy(
        _ name: String, _ database: LMDBDatabase, _ from: LMDBEnvironment, _ to: LMDBEnvironment,
        _ convert: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> [([UInt8], [UInt8])]
    ) throws {
        let writing = try to.database(name)
        let entries = try from.read { transaction in
            var entries: [([UInt8], [UInt8])] = []
            try transaction.scan(database) { key, value in
                entries += convert(key, value)
                return true
            }
            return entries
        }
        try to.write { transaction in
            for (key, value) in entries { try transaction.put(value, forKey: key, in: writing) }
        }
    }
}
