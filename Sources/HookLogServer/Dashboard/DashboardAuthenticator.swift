import HookLogCore
import Hummingbird

/// Tells which signed-in browser a dashboard request comes from, by its session cookie: the one place a session
/// becomes a workspace.
struct DashboardAuthenticator<C: Clock<Duration>>: Sendable where C.Instant == Timestamp {
    let dashboard: Dashboard
    let keys: KeyRing
    /// Counts sign-ins with unknown keys, as it counts the API's.
    let throttle: AuthenticationThrottle
    let clock: C

    /// The signed-in browser `request` comes from; nil when its session is missing, has expired, or was opened with
    /// a key that has since been revoked (that session then ends).
    func signedIn(_ request: Request) async throws -> SignedIn? {
        guard let token = request.cookies[Dashboard.sessionCookie]?.value,
            let session = try await dashboard.sessions.session(token, at: clock.now)
        else { return nil }
        guard case .workspace(let workspace) = keys.principal(forKeyHash: session.keyHash), workspace.id == session.workspaceID
        else {
            try await dashboard.sessions.close(token)
            return nil
        }
        return SignedIn(session: session, workspace: workspace, csrf: dashboard.sessions.csrfToken(for: token))
    }
}
