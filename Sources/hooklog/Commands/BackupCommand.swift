import ArgumentParser
import HookLogStore

/// `hooklog backup DIR`: a consistent, compacted copy, safe while the server runs.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Write a consistent, compacted copy of the log to an empty or new directory.")

    @OptionGroup var data: DataOptions
    @Argument(help: "The directory to write the copy into; it must be empty or not exist.") var directory: String

    func run() async throws {
        let reader = try data.reader()
        try reader.backup(to: directory)
        print("backed up \(try reader.lastSequence()) records to \(directory)")
    }
}
