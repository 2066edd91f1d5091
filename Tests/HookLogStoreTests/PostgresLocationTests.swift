import Foundation
import HookLogStore
import HookLogTestSupport
import Testing

/// `--store postgres://…` and the password it signs in with: libpq's defaults and password file rules, and never a
/// password on the command line.
@Suite("The PostgreSQL store's location and password")
struct PostgresLocationTests {
    @Test("a location takes libpq's defaults: port 5432, the user's database, sslmode prefer")
    func defaults() throws {
        let location = try PostgresLocation(parsing: "postgres://hooklog@db.internal")
        #expect(fields(of: location) == ["hooklog", "db.internal", "5432", "hooklog", "prefer", "-"])
        let full = try PostgresLocation(parsing: "postgresql://app@10.0.0.5:6432/events?sslmode=verify-full&sslrootcert=/etc/ca.pem")
        #expect(fields(of: full) == ["app", "10.0.0.5", "6432", "events", "verify-full", "/etc/ca.pem"])
    }

    /// A location's user, host, port, database, sslmode and root certificates file (`-`: none).
    func fields(of location: PostgresLocation) -> [String] {
        [location.user, location.host, String(location.port), location.database, location.tls.rawValue,
         location.rootCertificates ?? "-"]
    }

    @Test("what is not a location is refused in one sentence, and a password in it is never repeated", arguments: [
        ("postgres://app:s3cret@db/events", "holds a password; give it in PGPASSWORD or a password file"),
        ("mysql://app@db/events", "is not a postgres:// URL"),
        ("postgres://db/events", "names no user"),
        ("postgres://app@/events", "names no host"),
        ("postgres://app@db:0/events", "has a port out of 1 to 65535"),
        ("postgres://app@db/events/more", "has a path of more than a database name"),
        ("postgres://app@db/events?sslmode=allow", "sslmode=allow is not one of disable, prefer, require, verify-ca, verify-full"),
        ("postgres://app@db/events?password=x", "has the parameter password, which HookLog does not know"),
    ])
    func refusals(text: String, reason: String) {
        #expect {
            try PostgresLocation(parsing: text)
        } throws: { error in
            let description = "\(error)"
            return description.contains(reason) && !description.contains("s3cret")
        }
    }

    @Test("PGPASSWORD wins; else the password file's first matching line, with wildcards, escapes and comments")
    func passwordFileRules() throws {
        try withPasswordFile(
            """
            # the staging database
            staging:5432:*:app:staging-password
            db.internal:6432:events:app:pa\\:ss\\\\word
            *:*:*:app:anywhere
            """
        ) { environment in
            let events = try PostgresLocation(parsing: "postgres://app@db.internal:6432/events")
            #expect(try PostgresPasswordFile.password(for: events, environment: environment) == #"pa:ss\word"#)
            let staging = try PostgresLocation(parsing: "postgres://app@staging/other")
            #expect(try PostgresPasswordFile.password(for: staging, environment: environment) == "staging-password")
            let elsewhere = try PostgresLocation(parsing: "postgres://app@elsewhere/x")
            #expect(try PostgresPasswordFile.password(for: elsewhere, environment: environment) == "anywhere")
            let otherUser = try PostgresLocation(parsing: "postgres://reader@db.internal:6432/events")
            #expect(try PostgresPasswordFile.password(for: otherUser, environment: environment) == nil)

            var withVariable = environment
            withVariable["PGPASSWORD"] = "from-the-environment"
            #expect(try PostgresPasswordFile.password(for: events, environment: withVariable) == "from-the-environment")
        }
    }

    @Test("a password file others may read, or a PGPASSFILE that is not there, is an error; no file at all is no password")
    func passwordFileRefusals() throws {
        try withPasswordFile("*:*:*:*:secret", mode: 0o644) { environment in
            let location = try PostgresLocation(parsing: "postgres://app@db/events")
            #expect {
                try PostgresPasswordFile.password(for: location, environment: environment)
            } throws: { error in
                "\(error)".contains("may be read by others (mode 644): chmod 0600 it")
            }
        }
        let location = try PostgresLocation(parsing: "postgres://app@db/events")
        #expect {
            try PostgresPasswordFile.password(for: location, environment: ["PGPASSFILE": "/nonexistent/pgpass"])
        } throws: { error in
            "\(error)" == "PGPASSFILE names /nonexistent/pgpass, which does not exist"
        }
        #expect(try PostgresPasswordFile.password(for: location, environment: ["HOME": "/nonexistent"]) == nil)
    }

    /// Runs `body` with an environment whose `PGPASSFILE` is a new file holding `text`, of `mode`.
    func withPasswordFile(_ text: String, mode: Int = 0o600, _ body: ([String: String]) throws -> Void) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pgpass-\(UUID().uuidString)").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        try body(["PGPASSFILE": path])
    }
}
