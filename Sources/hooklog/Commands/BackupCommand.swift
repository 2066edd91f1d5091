import ArgumentParser
import HookLogCore
import HookLogStore
import Logging

/// `hooklog backup DIR`: a consistent, compacted copy, safe while the server runs; of a log in PostgreSQL (`--store`),
/// a data directory holding its records up to the last when the backup started, verified against the database.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Write a consistent, compacted copy of the log to an empty or new directory.")

    @OptionGroup var data: DataOptions
    @OptionGroup var store: StoreOptions
    @Argument(help: "The directory to write the copy into; it must be empty or not exist.") var directory: String

    func run() async throws {
        if let location = try store.location() {
            let logger = Logger(label: "hooklog.backup")
            let copied = try await MigrateCommand.copy(from: location, intoDirectory: directory, logger: logger)
            try MigrateCommand.report(copied, verified: MigrateCommand.verifiedFromDatabase(copied))
            print("backed up \(MigrateCommand.describe(copied)) from \(location.address) to \(directory)")
            return
        }
        let reader = try data.reader()
        try reader.backup(to: directory)
        print("backed up \(try reader.lastSequence()) records to \(directory)")
    }
}
