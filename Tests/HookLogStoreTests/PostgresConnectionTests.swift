import Foundation
import HookLogStore
import HookLogTestSupport
import Logging
import PostgresNIO
import Testing

/// A real PostgreSQL, a throwaway cluster from Debian's package (``PostgresCluster``), signed in to as `--store` will:
/// the location's URL without a password, the password from a password file.
@Suite("Signing in to a real PostgreSQL")
struct PostgresConnectionTests {
    @Test("the location and the password file's line sign in; a wrong password is refused by the server")
    func signsInWithThePasswordFile() async throws {
        try await PostgresCluster.with { cluster in
            let location = try PostgresLocation(
                parsing: "postgres://\(cluster.user)@127.0.0.1:\(cluster.port)/\(cluster.database)?sslmode=disable")
            let file = cluster.directory + "/pgpass"
            try Data("127.0.0.1:\(cluster.port):\(cluster.database):\(cluster.user):\(cluster.password)\n".utf8)
                .write(to: URL(fileURLWithPath: file))
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
            let password = try PostgresPasswordFile.password(for: location, environment: ["PGPASSFILE": file])
            #expect(password == cluster.password)

            let logger = Logger(label: "hooklog.tests.postgres")
            let connection = try await PostgresConnection.connect(
                configuration: try location.connectionConfiguration(password: password), id: 1, logger: logger)
            var users: [String] = []
            for try await user in try await connection.query("SELECT current_user", logger: logger).decode(String.self) {
                users.append(user)
            }
            try await connection.close()
            #expect(users == [cluster.user])

            await #expect(throws: PSQLError.self) {
                let refused = try await PostgresConnection.connect(
                    configuration: try location.connectionConfiguration(password: "not-the-password"), id: 2, logger: logger)
                try await refused.close()
            }
        }
    }
}
