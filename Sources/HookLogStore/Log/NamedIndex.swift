import HookLogCore

/// An index that lists records under names (every index but `by_time`), and how it keys them (``IndexNaming``).
///
/// The few names of configuration (webhooks, workspaces) are numbered in the id table. The names every event brings
/// (its id, its deliveries' ids, its `Idempotency-Key`) are keyed by a hash instead, which costs no id table entry:
/// nearly every record would otherwise add one.
struct NamedIndex: Sendable {
    /// Which names an index lists records under; the raw value starts those names' keys in the id table.
    enum Kind: UInt8, Sendable, CaseIterable {
        case webhooks = 1, events, workspaces, deliveries, idempotencyKeys, queues

        /// The name of the index's database.
        var databaseName: String {
            switch self {
            case .webhooks: "by_webhook"
            case .events: "by_event"
            case .workspaces: "by_workspace"
            case .deliveries: "by_delivery"
            case .idempotencyKeys: "by_idempotency_key"
            case .queues: "by_queue"
            }
        }
    }

    let kind: Kind
    let database: LMDBDatabase

    /// Whether names are keyed by their hash (``NameHash``) rather than numbered in the id table.
    var isHashed: Bool {
        switch kind {
        case .events, .deliveries, .idempotencyKeys: true
        case .webhooks, .workspaces, .queues: false
        }
    }

    /// The names this index lists a record with `keys` under.
    func names(in keys: IndexKeys) -> [IndexedName] {
        switch kind {
        case .webhooks: keys.webhooks.map(IndexedName.init)
        case .events: keys.events.map(IndexedName.init)
        case .workspaces: keys.workspaces.map(IndexedName.init)
        case .deliveries: keys.deliveries.map(IndexedName.init)
        case .idempotencyKeys: keys.idempotencyKeys.map(IndexedName.init)
        case .queues: keys.queues.map(IndexedName.init)
        }
    }

    /// The names of this index that `record` gives by itself, whatever the state: for a hashed index, those of the
    /// record that first lists a name, which is how readers and the writer tell whose a hash key is.
    func names(givenBy record: Record) -> [IndexedName] {
        names(in: IndexKeys(of: record, in: Self.stateless))
    }

    private static let stateless = HookLogState(policy: .standard, queueWindow: nil)
}
