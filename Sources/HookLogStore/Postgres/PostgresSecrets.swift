import Logging
import NIOCore
import PostgresNIO

/// A fleet's shared secrets, in `hooklog_secrets` (``PostgresSchema``): each made at random by the first node that
/// asks for it, and the same for every node after.
enum PostgresSecrets {
    /// The 32 bytes of the secret `name`, made now if the database has none yet.
    static func secret(named name: String, on connection: PostgresConnection, logger: Logger) async throws -> [UInt8] {
        var random = SystemRandomNumberGenerator()
        let candidate = ByteBuffer(bytes: (0..<4).flatMap { _ in withUnsafeBytes(of: random.next(), Array.init) })
        try await connection.query(
            "INSERT INTO hooklog_secrets (name, value) VALUES (\(name), \(candidate)) ON CONFLICT (name) DO NOTHING",
            logger: logger)
        for try await value in try await connection.query(
            "SELECT value FROM hooklog_secrets WHERE name = \(name)", logger: logger
        ).decode(ByteBuffer.self) {
            return Array(value.readableBytesView)
        }
        throw PostgresLogError.unsupported("a fleet without its secret '\(name)'")
    }
}
