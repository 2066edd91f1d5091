import Crypto
import Foundation
import HookLogCore
import HookLogStore
import Synchronization

/// The dashboard's signed-in browsers: a random session token in an HttpOnly cookie names a session kept here, which
/// remembers the workspace and the hash of the API key it was opened with.
///
/// A server-side session rather than the key itself in the cookie: the key is a long-lived credential of the whole
/// API, so it never goes back to the browser; signing out ends the session for good; a revoked key ends every session
/// opened with it (each request checks the key still exists). Sessions live in memory, so a restart signs everyone
/// out, which is acceptable for an operator's dashboard; a fleet's node keeps them in the log's database instead
/// (``SharedSessions``), with the forms' CSRF key, so that every node knows every session.
///
/// Memory is bounded (``Limits``): a session ends after ``Limits/idleTimeout`` without a request and at the latest
/// ``lifetime`` after sign-in; one key holds at most ``Limits/perKey`` sessions and the server at most
/// ``Limits/total``, a sign-in beyond either ending the oldest session (the key's own, else the least recently used
/// of all), so that signing in always works.
final class DashboardSessions: Sendable {
    /// One signed-in browser.
    struct Session: Sendable {
        let token: String
        let workspaceID: WorkspaceID
        let keyHash: [UInt8]
        let openedAt: Timestamp
        let expiresAt: Timestamp
        /// When the browser last made a request with it.
        var lastUsedAt: Timestamp
    }

    /// How many sessions are kept and how long an unused one lasts.
    struct Limits: Sendable {
        /// Sessions one API key may have open at once (`--max-sessions-per-key`).
        var perKey = 16
        /// Sessions the server keeps at once (`--max-dashboard-sessions`).
        var total = 10_000
        /// How long a session lasts without a request (`--session-idle-timeout`).
        var idleTimeout: Duration = .seconds(12 * 3600)

        /// The defaults.
        static var standard: Limits { Limits() }
    }

    /// How long a session lasts after sign-in however much it is used: the session cookie's age.
    static var lifetime: Duration { .seconds(7 * 86_400) }

    /// The sessions, and the tokens of each key's in the order they were opened.
    private struct Table {
        var sessions: [String: Session] = [:]
        var tokensByKey: [[UInt8]: [String]] = [:]

        mutating func remove(_ token: String) {
            guard let session = sessions.removeValue(forKey: token) else { return }
            tokensByKey[session.keyHash]?.removeAll { $0 == token }
            if tokensByKey[session.keyHash]?.isEmpty == true { tokensByKey[session.keyHash] = nil }
        }
    }

    let limits: Limits
    private let table = Mutex(Table())
    /// Where a fleet's node keeps its sessions; nil to keep them in ``table``.
    private let shared: (any SharedSessions)?
    /// How many sessions the shared storage held when this node last opened or closed one.
    private let sharedCount = Mutex(0)
    /// The key of the CSRF tokens' HMAC: random per process, like the sessions it protects, or the fleet's.
    private let secret: [UInt8]

    /// No sessions yet; at most `limits`; kept in `shared` when given, whose forms' key is read now.
    init(limits: Limits = .standard, shared: (any SharedSessions)? = nil) async throws {
        precondition(limits.perKey > 0 && limits.total > 0, "the dashboard keeps at least one session")
        self.limits = limits
        self.shared = shared
        if let shared {
            secret = try await shared.formKey()
        } else {
            var generator = SystemRandomNumberGenerator()
            secret = (0..<4).flatMap { _ in withUnsafeBytes(of: generator.next(), Array.init) }
        }
    }

    /// How many sessions are open (some may have expired without being asked for since); for a fleet's node, as the
    /// database counted them when it last opened or closed one.
    var count: Int {
        shared == nil ? table.withLock { $0.sessions.count } : sharedCount.withLock { $0 }
    }

    /// Opens a session for `workspaceID`, signed in with the key whose hash is `keyHash`, ending the oldest session
    /// of that key when it has ``Limits/perKey``, and the least recently used of all when there are ``Limits/total``.
    func open(workspaceID: WorkspaceID, keyHash: [UInt8], at now: Timestamp) async throws -> Session {
        let session = Session(
            token: Self.randomToken(), workspaceID: workspaceID, keyHash: keyHash, openedAt: now,
            expiresAt: now.advanced(by: Self.lifetime), lastUsedAt: now)
        if let shared {
            try await shared.open(
                SharedSession(
                    tokenHash: KeyRing.hash(session.token), workspaceID: workspaceID, keyHash: keyHash, openedAt: now,
                    expiresAt: session.expiresAt, lastUsedAt: now),
                perKey: limits.perKey, total: limits.total, idleTimeout: limits.idleTimeout)
            try await recount(shared)
            return session
        }
        table.withLock { table in
            while let tokens = table.tokensByKey[keyHash], tokens.count >= limits.perKey {
                table.remove(tokens[0])
            }
            if table.sessions.count >= limits.total {
                for (token, session) in table.sessions where !isLive(session, at: now) { table.remove(token) }
            }
            if table.sessions.count >= limits.total,
                let leastRecent = table.sessions.values.min(by: { $0.lastUsedAt < $1.lastUsedAt }) {
                table.remove(leastRecent.token)
            }
            table.sessions[session.token] = session
            table.tokensByKey[keyHash, default: []].append(session.token)
        }
        return session
    }

    /// The live session `token` names, if any, noting that it is used at `now`; an expired one ends.
    func session(_ token: String, at now: Timestamp) async throws -> Session? {
        if let shared {
            return try await shared.session(tokenHash: KeyRing.hash(token), at: now, idleTimeout: limits.idleTimeout).map {
                Session(
                    token: token, workspaceID: $0.workspaceID, keyHash: $0.keyHash, openedAt: $0.openedAt,
                    expiresAt: $0.expiresAt, lastUsedAt: $0.lastUsedAt)
            }
        }
        return table.withLock { table in
            guard let session = table.sessions[token] else { return nil }
            guard isLive(session, at: now) else {
                table.remove(token)
                return nil
            }
            table.sessions[token]?.lastUsedAt = now
            return session
        }
    }

    /// Ends the session `token` names.
    func close(_ token: String) async throws {
        if let shared {
            try await shared.close(tokenHash: KeyRing.hash(token))
            try await recount(shared)
            return
        }
        table.withLock { $0.remove(token) }
    }

    /// Notes how many sessions `shared` holds now, for ``count``.
    private func recount(_ shared: any SharedSessions) async throws {
        let count = try await shared.count()
        sharedCount.withLock { $0 = count }
    }

    /// Whether `session` is still open at `now`: used within the idle timeout, and within its lifetime.
    private func isLive(_ session: Session, at now: Timestamp) -> Bool {
        now < session.expiresAt && now < session.lastUsedAt.advanced(by: limits.idleTimeout)
    }

    /// The CSRF token of the forms shown to the holder of `token` (a session or a pre-sign-in token): an HMAC of it,
    /// so that only a page this server rendered for that cookie can carry it.
    func csrfToken(for token: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(token.utf8), using: SymmetricKey(data: secret))
        return Data(mac).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Whether `csrf` is the CSRF token of `token`, compared in constant time.
    func checkCSRF(_ csrf: String?, for token: String) -> Bool {
        guard let csrf else { return false }
        return ConstantTime.equal(Array(csrfToken(for: token).utf8), Array(csrf.utf8))
    }

    /// 32 random bytes in base64url.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<4).flatMap { _ in withUnsafeBytes(of: generator.next(), Array.init) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
