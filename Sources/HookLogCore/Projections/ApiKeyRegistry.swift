/// The workspaces' live API keys: by id, as the log names them, and by the SHA-256 of the key and by workspace, so that
/// authenticating a request and listing a workspace's keys are hash-map probes rather than scans of every key.
///
/// Only the keys by id are the projection; the other two maps are derived from them, kept in step by every change,
/// and neither stored (a checkpoint encodes the keys by id, as it always did) nor compared.
public struct ApiKeyRegistry: Hashable, Codable, Sendable {
    /// Every live key, by id.
    public private(set) var byID: [ApiKeyID: ApiKey] = [:]
    private var idsByHash: [[UInt8]: ApiKeyID] = [:]
    private var idsByWorkspace: [WorkspaceID: Set<ApiKeyID>] = [:]

    /// No keys.
    public init() {}

    /// The live key `id`; setting nil revokes it.
    public subscript(id: ApiKeyID) -> ApiKey? {
        get { byID[id] }
        set {
            if let old = byID.removeValue(forKey: id) {
                idsByHash[old.keyHash] = nil
                idsByWorkspace[old.workspaceID]?.remove(id)
                if idsByWorkspace[old.workspaceID]?.isEmpty == true { idsByWorkspace[old.workspaceID] = nil }
            }
            guard let newValue else { return }
            byID[id] = newValue
            idsByHash[newValue.keyHash] = id
            idsByWorkspace[newValue.workspaceID, default: []].insert(id)
        }
    }

    /// Every live key, in no particular order.
    public var values: Dictionary<ApiKeyID, ApiKey>.Values { byID.values }

    /// How many keys are live.
    public var count: Int { byID.count }

    /// The live key whose SHA-256 is `hash`, found by one probe of a hash map.
    ///
    /// Why a hash-map probe may compare secrets in variable time: what is looked up is the SHA-256 of what the
    /// client sent, not the key. Which bucket it falls in follows from Swift's per-process randomly seeded hash of
    /// those digest bytes, which a client cannot predict; and comparing it with a stored digest stops at the first
    /// differing byte of two digests the client cannot choose, since steering a digest's bytes needs a SHA-256
    /// preimage. So the time taken tells nothing that brings a client nearer a key: at most that a digest of its
    /// choosing shares leading bytes with a stored one, which even whole would not give the key back.
    public func key(withHash hash: [UInt8]) -> ApiKey? {
        idsByHash[hash].flatMap { byID[$0] }
    }

    /// The live keys of `workspaceID`, oldest first.
    public func keys(of workspaceID: WorkspaceID) -> [ApiKey] {
        (idsByWorkspace[workspaceID] ?? []).compactMap { byID[$0] }.sorted { ($0.issuedAt, $0.id) < ($1.issuedAt, $1.id) }
    }

    /// How many live keys `workspaceID` has.
    public func count(of workspaceID: WorkspaceID) -> Int {
        idsByWorkspace[workspaceID]?.count ?? 0
    }

    public static func == (lhs: ApiKeyRegistry, rhs: ApiKeyRegistry) -> Bool { lhs.byID == rhs.byID }

    public func hash(into hasher: inout Hasher) { hasher.combine(byID) }

    /// Decodes the keys by id, as a checkpoint of any version holds them, and derives the other maps.
    public init(from decoder: any Decoder) throws {
        for key in try decoder.singleValueContainer().decode([ApiKeyID: ApiKey].self).values { self[key.id] = key }
    }

    /// Encodes the keys by id only: the same JSON as the plain dictionary this type replaced.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(byID)
    }
}
