import Crypto
import HookLogCore
import HookLogStore

/// The keys the server knows: the admin key's hash and the workspaces' live keys in the log, looked up by the
/// SHA-256 of the key a client sends. The one place a key becomes a ``Principal``, for the API's bearer tokens and
/// the dashboard's sign-in and sessions alike.
///
/// A workspace key is found by one probe of the state's map from key digests to keys (``ApiKeyRegistry``), under the
/// published state's lock for that probe only: no scan of every key, whatever their number, and no long hold of the
/// lock the writer publishes under. Why that probe tells an attacker nothing useful by its timing is said at
/// ``ApiKeyRegistry/key(withHash:)``; the admin key, a single secret, is compared in constant time.
struct KeyRing: Sendable {
    let store: any EventLog
    private let adminKeyHash: [UInt8]

    /// The keys of `store`'s workspaces and the admin key whose SHA-256 is `adminKeyHash`.
    init(store: any EventLog, adminKeyHash: [UInt8]) {
        self.store = store
        self.adminKeyHash = adminKeyHash
    }

    /// The SHA-256 of `key`, as the log keeps a workspace key (and a fleet's database a dashboard session's token).
    static func hash(_ key: String) -> [UInt8] {
        Array(SHA256.hash(data: Array(key.utf8)))
    }

    /// Who `key` stands for: the admin, a workspace whose key it is and that still has it, or nobody (nil).
    func principal(forKey key: String) -> Principal? {
        principal(forKeyHash: Self.hash(key))
    }

    /// Who the key whose SHA-256 is `hash` stands for.
    func principal(forKeyHash hash: [UInt8]) -> Principal? {
        if ConstantTime.equal(hash, adminKeyHash) { return .admin }
        return store.withState { state in
            guard let key = state.apiKeys.key(withHash: hash), let workspace = state.workspaces[key.workspaceID] else {
                return nil
            }
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
