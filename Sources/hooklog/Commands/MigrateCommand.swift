import ArgumentParser
import Foundation
import HookLogCore
import HookLogStore
import Logging

/// `hooklog migrate`: copies a log from a data directory into a PostgreSQL database or back, and verifies the copy.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy a log from a data directory into an empty PostgreSQL database (--from-data DIR --to URL), or back into a new directory (--from URL --to-data DIR), and verify the copy.",
        discussion: "The password comes from PGPASSWORD or a password file (PGPASSFILE, else ~/.pgpass). A data directory a server holds is refused: stop it first. A database may go on being written: the copy is of the log as it was when the copy began.")

    @Option(name: .customLong("from-data"), help: ArgumentHelp("The data directory to copy from.", valueName: "dir"))
    var fromData: String?
    @Option(help: ArgumentHelp("The PostgreSQL database to copy into: postgres://USER@HOST[:PORT][/DATABASE][?sslmode=…].", valueName: "url"))
    var to: String?
    @Option(help: ArgumentHelp("The PostgreSQL database to copy from.", valueName: "url"))
    var from: String?
    @Option(name: .customLong("to-data"), help: ArgumentHelp("The new or empty data directory to copy into.", valueName: "dir"))
    var toData: String?

    func run() async throws {
        let logger = Logger(label: "hooklog.migrate")
        switch (fromData, to, from, toData) {
        case (let directory?, let url?, nil, nil):
            let reader = try LogReader(directory: directory)
            let location = try Self.location(url, "--to")
            let lock = try Self.holdWhileCopying(directory)
            defer { lock?.release() }
            let policy = try reader.checkpointSettings()?.policy ?? .standard
            let copied = try await LogMigration.copy(
                from: reader, policy: policy, to: location, password: try Self.password(for: location), logger: logger)
            print("copied \(Self.describe(copied)) from \(directory) to \(location.address)")
            try Self.report(copied, verified: "both hold the same records, up to record \(copied.lastSequence), and fold into the same state")
        case (nil, nil, let url?, let directory?):
            let location = try Self.location(url, "--from")
            let copied = try await Self.copy(from: location, intoDirectory: directory, logger: logger)
            print("copied \(Self.describe(copied)) from \(location.address) to \(directory)")
            try Self.report(copied, verified: Self.verifiedFromDatabase(copied))
        default:
            throw StartupError("say where from and where to: --from-data DIR --to postgres://…, or --from postgres://… --to-data DIR")
        }
    }

    /// Copies the log of the database at `location`, as it is when the copy starts, into `directory`, which must hold
    /// no log, and verifies the copy.
    static func copy(from location: PostgresLocation, intoDirectory directory: String, logger: Logger) async throws -> CopiedLog {
        let source = try await PostgresReader.open(location, password: try password(for: location), logger: logger)
        do {
            let copied = try await LogMigration.copy(from: source.queries, toDirectory: directory, policy: .standard)
            await source.close()
            return copied
        } catch {
            await source.close()
            throw error
        }
    }

    /// Takes the lock of `directory`, so that no server writes it while the copy reads it; a directory on a read-only
    /// file system (a snapshot of a served one) cannot be written by anyone, and is copied as it is.
    private static func holdWhileCopying(_ directory: String) throws -> DataDirectoryLock? {
        var system = statvfs()
        if statvfs(directory, &system) == 0, system.f_flag & UInt(ST_RDONLY) != 0 { return nil }
        return try DataDirectoryLock(directory: directory)
    }

    /// How many records a copy wrote, and where its history starts once the log was compacted.
    static func describe(_ copied: CopiedLog) -> String {
        guard copied.baseSequence > 0 else { return "\(copied.records) records" }
        return "\(copied.records) records (compacted: up to record \(copied.lastSequence), folding from the base snapshot at record \(copied.baseSequence))"
    }

    /// What a copy out of a database verified.
    static func verifiedFromDatabase(_ copied: CopiedLog) -> String {
        "the copy holds the database's records up to record \(copied.lastSequence), the same, folding into the same state"
    }

    /// Prints `verified: …`, or each difference the copy's verification found and exits 1.
    static func report(_ copied: CopiedLog, verified: String) throws {
        guard copied.differences.isEmpty else {
            for difference in copied.differences { print("DIFFERENCE \(difference)") }
            throw ExitCode(1)
        }
        print("verified: \(verified)")
    }

    private static func location(_ text: String, _ option: String) throws -> PostgresLocation {
        do {
            return try PostgresLocation(parsing: text)
        } catch {
            throw StartupError("\(option): \(error)")
        }
    }

    private static func password(for location: PostgresLocation) throws -> String? {
        try StoreOptions.password(for: location)
    }
}
