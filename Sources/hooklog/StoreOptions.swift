import ArgumentParser
import Foundation
import HookLogStore
import Logging

/// The `--store URL` option: the log in a PostgreSQL database instead of the data directory; without it, the
/// `HOOKLOG_STORE` environment variable; without either, the data directory (docs/postgres.md).
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("store"), help: ArgumentHelp(
        "The log's PostgreSQL database instead of the data directory: postgres://USER@HOST[:PORT][/DATABASE][?sslmode=disable|prefer|require|verify-ca|verify-full&sslrootcert=FILE]. The password comes from PGPASSWORD or a password file (PGPASSFILE, else ~/.pgpass), never from the URL. (HOOKLOG_STORE; default: the data directory)",
        valueName: "url"))
    var flag: String?

    /// The database `--store`, else `HOOKLOG_STORE`, names; nil for the data directory. A URL that is not one is a
    /// one-line error naming where it came from.
    func location() throws -> PostgresLocation? {
        let source = flag == nil ? "HOOKLOG_STORE" : "--store"
        guard let text = flag ?? ProcessInfo.processInfo.environment["HOOKLOG_STORE"], !text.isEmpty else { return nil }
        do {
            return try PostgresLocation(parsing: text)
        } catch {
            throw StartupError("\(source): \(error)")
        }
    }

    /// The password for `location`: `PGPASSWORD`, else the password file's line for it.
    static func password(for location: PostgresLocation) throws -> String? {
        try PostgresPasswordFile.password(for: location, environment: ProcessInfo.processInfo.environment)
    }

    /// Runs `body` with the database's log opened for reading, closes it, and returns true; returns false, without
    /// running `body`, when the log is in the data directory.
    func withDatabase(_ body: (PostgresReader) async throws -> Void) async throws -> Bool {
        guard let location = try location() else { return false }
        let reader = try await PostgresReader.open(
            location, password: try Self.password(for: location), logger: Logger(label: "hooklog"))
        do {
            try await body(reader)
            await reader.close()
            return true
        } catch {
            await reader.close()
            throw error
        }
    }
}
