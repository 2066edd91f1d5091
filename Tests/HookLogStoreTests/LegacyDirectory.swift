import Foundation
import HookLogCore
@testable import HookLogStore
import Testing

/// Writes a copy of a closed data directory as a build of an older storage format would have written it
/// (``LegacyIndexKeys``): the log as it is, `meta` with the checkpoint and the base whole under their names and
/// uncompressed (no ``PiecedValue`` pieces, which came with format 8; ``FormerSnapshots``), every index entry keyed
/// by the name itself (a derived key's name is the one the first record under it gives whose key it is), every record
/// after the base listed in `by_event` under the events of the deliveries it is about too (``IndexKeys/formerEvents``),
/// no id table, and none of the indexes that format lacked (`by_idempotency_key` came with format 2, `by_queue` with
/// format 3).
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
        let numbered = try from.environment.read { transaction in
            var numbered: [UInt8: [UInt64: IndexedName]] = [:]
            try transaction.scan(ids.names) { key, value in
                numbered[key[0], default: [:]][LogKeys.number(from: value)] = IndexedName(bytes: Array(key.dropFirst()))
                return true
            }
            return numbered
        }
        let reader = LogReader(databases: from)
        try copy("log", from.log, from.environment, to) { key, value in [(Array(key), Array(value))] }
        let pieced = [from.checkpoint, from.base]
        try copy("meta", from.meta, from.environment, to) { key, value in
            switch Array(key) {
            case IdTable.lastNumberKey: []
            case LogDatabases.formatKey: [(LogDatabases.formatKey, [format])]
            case _ where pieced.contains(where: { $0.isPiece(key) }): []
            default: [(Array(key), Array(value))]
            }
        }
        let meta = try to.database("meta")
        for value in pieced {
            guard let stored = try from.environment.read({ try value.withValue(in: $0) { Array($0) } }) else { continue }
            let whole = try FormerSnapshots.version3(stored, storedAs: value)
            try to.write { try $0.put(whole, forKey: value.name, in: meta) }
        }
        for index in from.namedIndexes where index.kind != .idempotencyKeys || format >= 2 {
            guard index.kind != .queues || format >= 3 else { continue }
            var current: (key: UInt64, name: IndexedName)?
            try copy(index.kind.databaseName, index.database, from.environment, to) { key, value in
                let number = LogKeys.number(from: key)
                let sequence = LogKeys.sequence(from: value)
                if current?.key != number {
                    let name = numbered[index.kind.rawValue]?[number] ?? (try? reader.record(at: sequence)).flatMap { entry in
                        index.names(givenBy: entry.record).first { index.derivedKey(of: $0) == number }
                    }
                    current = (number, name ?? IndexedName(bytes: []))
                }
                return [(LegacyIndexKeys.entry(current!.name, sequence), [])]
            }
        }
        let byEvent = try to.database("by_event")
        let formerEntries = try formerEventEntries(of: reader)
        try to.write { transaction in
            for (name, sequence) in formerEntries { try transaction.put([], forKey: LegacyIndexKeys.entry(name, sequence), in: byEvent) }
        }
        try copy("by_time", from.byTime, from.environment, to) { key, value in
            let at = LogKeys.time(fromTimeIndexKey: key, value: value)
            return [(LegacyIndexKeys.timeEntry(at, LogKeys.sequence(fromTimeIndexValue: value)), [])]
        }
    }

    /// The `by_event` entries formats up to 5 wrote besides today's: each record after the base under the events of
    /// the deliveries it is about, from the state just before it, as ``Rebuild`` folds it.
    private static func formerEventEntries(of reader: LogReader) throws -> [(IndexedName, UInt64)] {
        try reader.databases.environment.read { transaction in
            var state = try Checkpoint.start(
                from: reader, policy: .standard, queueWindow: HookLogState.standardQueueWindow, in: transaction)
            var entries: [(IndexedName, UInt64)] = []
            try reader.withQueuedDeliveries(in: transaction) { log in
                try reader.forEachRecord(in: transaction, after: state.lastSequence) { entry in
                    for eventID in IndexKeys(of: entry.record, in: state).formerEvents {
                        entries.append((IndexedName(eventID), entry.sequence))
                    }
                    try state.evolve(entry, refillingFrom: log)
                    return true
                }
            }
            return entries
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
