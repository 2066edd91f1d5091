public import HookLogCore

/// The dashboard's sessions kept in the log's storage, so that every node of a fleet knows them (docs/postgres.md): a
/// browser signed in through one node is signed in on all, and signing out through one ends the session on all.
/// Each session is kept under the SHA-256 of its token, never the token, so the storage does not hold what a browser
/// presents.
public protocol SharedSessions: Sendable {
    /// The key of the dashboard forms' CSRF tokens: random, made once, the same on every node.
    func formKey() async throws -> [UInt8]
    /// Keeps `session`, first ending those of its key beyond `perKey - 1` (oldest first), then, when `total` are
    /// kept, the expired ones and the least recently used.
    func open(_ session: SharedSession, perKey: Int, total: Int, idleTimeout: Duration) async throws
    /// The session whose token hashes to `tokenHash`, if it is live at `now` (used within `idleTimeout`, before its
    /// expiry), noted as used at `now` when it was last noted more than a minute before; an expired one ends.
    func session(tokenHash: [UInt8], at now: Timestamp, idleTimeout: Duration) async throws -> SharedSession?
    /// Ends the session whose token hashes to `tokenHash`.
    func close(tokenHash: [UInt8]) async throws
    /// How many sessions are kept, some perhaps expired.
    func count() async throws -> Int
}

/// A dashboard session as ``SharedSessions`` keeps it.
public struct SharedSession: Sendable, Equatable {
    /// The SHA-256 of the session's token.
    public var tokenHash: [UInt8]
    public var workspaceID: WorkspaceID
    /// The SHA-256 of the API key the browser signed in with.
    public var keyHash: [UInt8]
    public var openedAt: Timestamp
    public var expiresAt: Timestamp
    /// When the browser last made a request with it, to the minute.
    public var lastUsedAt: Timestamp

    /// A session with these fields.
    public init(
        tokenHash: [UInt8], workspaceID: WorkspaceID, keyHash: [UInt8], openedAt: Timestamp, expiresAt: Timestamp,
        lastUsedAt: Timestamp
    ) {
        self.tokenHash = tokenHash
        self.workspaceID = workspaceID
        self.keyHash = keyHash
        self.openedAt = openedAt
        self.expiresAt = expiresAt
        self.lastUsedAt = lastUsedAt
    }
}
