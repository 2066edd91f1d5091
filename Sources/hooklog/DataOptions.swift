import ArgumentParser
import Foundation
import HookLogStore

/// The `--data DIR` option every command takes, before or after the command's name; without it, the
/// `HOOKLOG_DATA` environment variable, and then `./data`, as every setting (docs/rules.md §4.5).
struct DataOptions: ParsableArguments {
    @Option(name: .customLong("data"), help: ArgumentHelp("The data directory (HOOKLOG_DATA; default ./data).", valueName: "dir"))
    var flag: String?

    /// The data directory the command works on.
    var data: String {
        flag ?? ProcessInfo.processInfo.environment["HOOKLOG_DATA"].flatMap { $0.isEmpty ? nil : $0 } ?? "./data"
    }

    /// Opens the log for reading; a missing or unreadable directory is one clear error.
    func reader() throws -> LogReader {
        try LogReader(directory: data)
    }

    /// Opens the log for writing (the directory must not be held by a running server), runs `body`, and closes it.
    func withStore<T>(_ body: (LogStore) async throws -> T) async throws -> T {
        let store = try LogStore(directory: data)
        do {
            let result = try await body(store)
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }
}
