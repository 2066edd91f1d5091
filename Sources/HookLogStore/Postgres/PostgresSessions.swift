import HookLogCore
import Logging
import NIOCore
import PostgresNIO

/// The dashboard's sessions in the log's database (``SharedSessions``): `hooklog_sessions`, one row per session, and
/// the forms' CSRF key in `hooklog_secrets` (``PostgresSchema``). Each call is one transaction within the read
/// deadline.
struct PostgresSessions: SharedSessions {
    let client: PostgresClient
    let deadline: PostgresDeadline
    let logger: Logger

    func formKey() async throws -> [UInt8] {
        try await transaction { connection, logger in
            try await PostgresSecrets.secret(named: "dashboard_forms", on: connection, logger: logger)
        }
    }

    func open(_ session: SharedSession, perKey: Int, total: Int, idleTimeout: Duration) async throws {
        let (token, key) = (ByteBuffer(bytes: session.tokenHash), ByteBuffer(bytes: session.keyHash))
        let now = session.openedAt.milliseconds
        let idleSince = now - idleTimeout.wholeMilliseconds
        try await transaction { connection, logger in
            // One sign-in at a time, so that two nodes do not both leave room for one more.
            try await connection.query("LOCK TABLE hooklog_sessions IN SHARE ROW EXCLUSIVE MODE", logger: logger)
            try await connection.query(
                """
                DELETE FROM hooklog_sessions WHERE token_hash IN (
                    SELECT token_hash FROM hooklog_sessions WHERE key_hash = \(key)
                    ORDER BY opened_at DESC OFFSET \(Int64(perKey - 1)))
                """, logger: logger)
            var kept: Int64 = 0
            for try await count in try await connection.query("SELECT count(*) FROM hooklog_sessions", logger: logger)
                .decode(Int64.self) {
                kept = count
            }
            if kept >= total {
                try await connection.query(
                    "DELETE FROM hooklog_sessions WHERE expires_at <= \(now) OR last_used_at <= \(idleSince)", logger: logger)
                try await connection.query(
                    """
                    DELETE FROM hooklog_sessions WHERE token_hash IN (
                        SELECT token_hash FROM hooklog_sessions ORDER BY last_used_at
                        LIMIT greatest(0, (SELECT count(*) FROM hooklog_sessions) - \(Int64(total - 1))))
                    """, logger: logger)
            }
            try await connection.query(
                """
                INSERT INTO hooklog_sessions (token_hash, workspace, key_hash, opened_at, expires_at, last_used_at)
                VALUES (\(token), \(session.workspaceID.rawValue), \(key), \(now), \(session.expiresAt.milliseconds), \(now))
                """, logger: logger)
        }
    }

    func session(tokenHash: [UInt8], at now: Timestamp, idleTimeout: Duration) async throws -> SharedSession? {
        let token = ByteBuffer(bytes: tokenHash)
        return try await transaction { connection, logger in
            var found: SharedSession?
            for try await (workspace, key, opened, expires, used) in try await connection.query(
                """
                SELECT workspace, key_hash, opened_at, expires_at, last_used_at FROM hooklog_sessions
                WHERE token_hash = \(token)
                """, logger: logger
            ).decode((String, ByteBuffer, Int64, Int64, Int64).self) {
                found = SharedSession(
                    tokenHash: tokenHash, workspaceID: WorkspaceID(workspace), keyHash: Array(key.readableBytesView),
                    openedAt: Timestamp(milliseconds: opened), expiresAt: Timestamp(milliseconds: expires),
                    lastUsedAt: Timestamp(milliseconds: used))
            }
            guard var session = found else { return nil }
            guard now < session.expiresAt, now < session.lastUsedAt.advanced(by: idleTimeout) else {
                try await connection.query("DELETE FROM hooklog_sessions WHERE token_hash = \(token)", logger: logger)
                return nil
            }
            if now.milliseconds - session.lastUsedAt.milliseconds > 60_000 {
                try await connection.query(
                    "UPDATE hooklog_sessions SET last_used_at = \(now.milliseconds) WHERE token_hash = \(token)", logger: logger)
                session.lastUsedAt = now
            }
            return session
        }
    }

    func close(tokenHash: [UInt8]) async throws {
        let token = ByteBuffer(bytes: tokenHash)
        try await transaction { connection, logger in
            try await connection.query("DELETE FROM hooklog_sessions WHERE token_hash = \(token)", logger: logger)
        }
    }

    func count() async throws -> Int {
        try await transaction { connection, logger in
            for try await count in try await connection.query("SELECT count(*) FROM hooklog_sessions", logger: logger)
                .decode(Int64.self) {
                return Int(count)
            }
            return 0
        }
    }

    /// Runs `body` in one transaction within the deadline; what the database fails with is
    /// ``StoreError/unavailable(_:)``.
    private func transaction<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection, Logger) async throws -> T
    ) async throws -> T {
        do {
            return try await deadline.run(on: client) { [logger] connection in
                try await connection.withTransaction(logger: logger) { try await body($0, logger) }
            }
        } catch {
            throw PostgresReachability.refusal(of: error, "the log's database failed a dashboard session")
        }
    }
}
