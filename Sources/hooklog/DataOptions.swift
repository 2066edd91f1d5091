import ArgumentParser
import HookLogStore

/// The `--data DIR` option every command takes, before or after the command's name.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The data directory.", valueName: "dir"))
    var data: String = "./data"

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
