import ArgumentParser
import Foundation
import HookLogCore
import HookLogStore

/// `hooklog log`: the raw records, one per line.
struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "Print log records, one per line (sequence, time, type, key fields).")

    @OptionGroup var data: DataOptions
    @Option(help: "Print records after this sequence number.") var after: UInt64 = 0
    @Option(help: "Print at most this many records.") var limit: Int = 100
    @Flag(help: "Keep printing records as they are appended.") var follow = false
    @Flag(help: "Print one JSON object per line.") var json = false

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
    }

    func run() async throws {
        let reader = try data.reader()
        var after = after
        var remaining = follow ? Int.max : limit
        while true {
            let records = try reader.records(after: after, limit: min(remaining, 1000))
            for entry in records {
                print(json ? entry.json.text : RecordLine.text(of: entry))
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
