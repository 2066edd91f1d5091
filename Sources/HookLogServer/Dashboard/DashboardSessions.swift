import Crypto
import Foundation
import HookLogCore
import Synchronization

/// The dashboard's signed-in browsers: a random session token in an HttpOnly cookie names a session kept here, which
/// remembers the workspace and the hash of the API key it was opened with.
///
/// A server-side session rather than the key itself in the cookie: the key is a long-lived credential of the whole
/// API, so it never goes back to the browser; signing out ends the session for good; a revoked key ends every session
/// opened with it (each request checks the key still exists). Sessions live in memory, so a restart signs everyone
/// out, which is acceptable for an operator's dashboard.
final class DashboardSessions: Sendable {
    /// One signed-in browser.
    struct Session: Sendable {
        let token: String
        let workspaceID: WorkspaceID
        let keyHash: [UInt8]
        let expiresAt: Timestamp
    }

    /// How long a session lasts after sign-in.
    static var lifetime: Duration { .seconds(12 * 3600) }

    private let sessions = Mutex<[String: Session]>([:])
    /// The key of the CSRF tokens' HMAC: random per process, like the sessions it protects.
    private let secret: [UInt8] = {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).flatMap { _ in withUnsafeBytes(of: generator.next(), Array.init) }
    }()

    /// Opens a session for `workspaceID`, signed in with the key whose hash is `keyHash`.
    func open(workspaceID: WorkspaceID, keyHash: [UInt8], at now: Timestamp) -> Session {
        let session = Session(
            token: Self.randomToken(), workspaceID: workspaceID, keyHash: keyHash,
            expiresAt: now.advanced(by: Self.lifetime))
        sessions.withLock { all in
            all = all.filter { $0.value.expiresAt > now }
            all[session.token] = session
        }
        return session
    }

    /// The live session `token` names, if any.
    func session(_ token: String, at now: Timestamp) -> Session? {
        sessions.withLock { all in
            guard let session = all[token] else { return nil }
            guard session.expiresAt > now else {
                all[token] = nil
                return nil
            }
            return session
        }
    }

    /// Ends the session `token` names.
    func close(_ token: String) {
        _ = sessions.withLock { $0.removeValue(forKey: token) }
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
