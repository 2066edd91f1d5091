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
}
