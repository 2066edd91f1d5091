import Crypto
import HookLogCore
import HookLogStore

/// The keys the server knows: the admin key's hash and the workspaces' live keys in the log, looked up by the
/// SHA-256 of the key a client sends. The one place a key becomes a ``Principal``, for the API's bearer tokens and
/// the dashboard's sign-in and sessions alike.
struct KeyRing: Sendable {
    let store: any EventLog
    private let adminKeyHash: [UInt8]

    /// The keys of `store`'s workspaces and `adminKey`.
    init(store: any EventLog, adminKey: String) {
        self.store = store
        adminKeyHash = Self.hash(adminKey)
    }

    /// The SHA-256 of `key`, as the log keeps a workspace key.
    static func hash(_ key: String) -> [UInt8] {
        Array(SHA256.hash(data: Array(key.utf8)))
    }

    /// Who `key` stands for: the admin, a workspace whose key it is and that still has it, or nobody (nil).
    func principal(forKey key: String) -> Principal? {
        principal(forKeyHash: Self.hash(key))
    }

    /// Who the key whose SHA-256 is `hash` stands for. Hashes are compared in constant time.
    func principal(forKeyHash hash: [UInt8]) -> Principal? {
        if ConstantTime.equal(hash, adminKeyHash) { return .admin }
        return store.withState { state in
            guard let key = state.apiKeys.values.first(where: { ConstantTime.equal($0.keyHash, hash) }),
                let workspace = state.workspaces[key.workspaceID]
            else { return nil }
            return .workspace(workspace)
        }
    }
}

/// Comparing secrets without telling, by how long it takes, where they first differ.
enum ConstantTime {
    /// Whether `a` and `b` hold the same bytes; the time depends on their length only.
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
