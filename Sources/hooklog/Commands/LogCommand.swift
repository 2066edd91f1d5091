import ArgumentParser
import Foundation
import HookLogCore
import HookLogStore

/// `hooklog log`: the raw records, one per line.
struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "Print log records, one per line (sequence, time, type, key fields).")

    @OptionGroup var data: DataOptions
    @OptionGroup var store: StoreOptions
    @Option(help: "Print records after this sequence number.") var after: UInt64 = 0
    @Option(help: "Print at most this many records.") var limit: Int = 100
    @Flag(help: "Keep printing records as they are appended.") var follow = false
    @Flag(help: "Print one JSON object per line.") var json = false
    @Option(help: ArgumentHelp(
        "Also print the records compaction archived in this directory, merged in sequence order.", valueName: "dir"))
    var archive: String?

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
    }

    func run() async throws {
        var after = after
        var remaining = follow ? Int.max : limit
        if try store.location() != nil, archive != nil {
            throw StartupError("--archive holds a data directory's compacted records, and a log in PostgreSQL has none")
        }
        let inDatabase = try await store.withDatabase { database in
            try await printRecords(from: database.queries, after: after, remaining: remaining)
        }
        if inDatabase { return }
        let reader = try data.reader()
        if let archive {
            try reader.forEachRecord(after: after, mergedWith: try ArchiveReader(directory: archive)) { entry in
                print(line(for: entry))
                after = entry.sequence
                remaining -= 1
                return remaining > 0
            }
        }
        try await printRecords(from: reader, after: after, remaining: remaining)
    }

    /// Prints `remaining` records after `after` from `queries`, a thousand at a time; with `--follow`, polls for more.
    private func printRecords(from queries: any LogQueries, after: UInt64, remaining: Int) async throws {
        var (after, remaining) = (after, remaining)
        while true {
            let records = try await queries.records(after: after, limit: min(remaining, 1000))
            for entry in records {
                print(line(for: entry))
            }
            after = records.last?.sequence ?? after
            remaining -= records.count
            if remaining <= 0 { return }
            if records.isEmpty {
                guard follow else { return }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    /// The line `entry` is printed as: text, or with `--json` its JSON object.
    private func line(for entry: LoggedRecord) -> String {
        json ? entry.json.text : RecordLine.text(of: entry)
    }
}

/// A record as one line of text: sequence, time, type, then `key=value` for its fields (event data left out).
enum RecordLine {
    static func text(of entry: LoggedRecord) -> String {
        let fields = entry.record.fields.compactMap { name, value -> String? in
            switch value {
            case .null, .raw: nil
            case .string(let text): "\(name)=\(text.contains(" ") || text.isEmpty ? JSONValue.string(text).text : text)"
            default: "\(name)=\(value.text)"
            }
        }
        return ([String(entry.sequence), entry.record.at.rfc3339, entry.record.fact.typeName] + fields).joined(separator: " ")
    }
}
