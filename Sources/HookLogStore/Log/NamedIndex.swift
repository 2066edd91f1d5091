import HookLogCore

/// An index that lists records under names (every index but `by_time`), and how it keys them (``IndexNaming``).
///
/// The few names of configuration (webhooks, workspaces) are numbered in the id table. The names every event brings
/// (its id, its deliveries' ids, its `Idempotency-Key`) are keyed by a key derived from the name instead
/// (``derivedKey(of:)``), which costs no id table entry: nearly every record would otherwise add one.
struct NamedIndex: Sendable {
    /// Which names an index lists records under; the raw value starts those names' keys in the id table.
    enum Kind: UInt8, Sendable, CaseIterable {
        case webhooks = 1, events, workspaces, deliveries, idempotencyKeys, queues

        /// The names `keys` list in an index of this kind.
        func names(in keys: IndexKeys) -> [IndexedName] {
            switch self {
            case .webhooks: keys.webhooks.map(IndexedName.init)
            case .events: keys.events.map(IndexedName.init)
            case .workspaces: keys.workspaces.map(IndexedName.init)
            case .deliveries: keys.deliveries.map(IndexedName.init)
            case .idempotencyKeys: keys.idempotencyKeys.map(IndexedName.init)
            case .queues: keys.queues.map(IndexedName.init)
            }
        }

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

    /// Whether names are keyed by a key derived from the name (``derivedKey(of:)``) rather than numbered in the id
    /// table.
    var derivesKeys: Bool {
        switch kind {
        case .events, .deliveries, .idempotencyKeys: true
        case .webhooks, .workspaces, .queues: false
        }
    }

    /// The key this index lists `name` under unless another name took it first (storage format 6): for a generated
    /// event or delivery id, its first 63 bits (``IdentifierLayout``: the millisecond it was drawn in and a counter),
    /// so that each new event and delivery goes next to the one before, on pages a commit writes anyway; for any
    /// other name (an id the client chose, an `Idempotency-Key`), its hash (``NameHash``).
    func derivedKey(of name: IndexedName) -> UInt64 {
        generatedPrefix.flatMap { IdentifierLayout.leadingBits(of: name.bytes, prefix: $0) } ?? NameHash.key(of: name)
    }

    /// The key storage format 5 derived for `name` where format 6 derives another: the hash of a generated event or
    /// delivery id; nil for every other name, whose key is the same in both.
    func formerKey(of name: IndexedName) -> UInt64? {
        guard let generatedPrefix, IdentifierLayout.leadingBits(of: name.bytes, prefix: generatedPrefix) != nil else {
            return nil
        }
        return NameHash.key(of: name)
    }

    /// The prefix of the generated ids this index lists; nil for an index of other names.
    private var generatedPrefix: String? {
        switch kind {
        case .events: EventKind.prefix
        case .deliveries: DeliveryKind.prefix
        case .webhooks, .workspaces, .idempotencyKeys, .queues: nil
        }
    }

    /// The names this index lists a record with `keys` under.
    func names(in keys: IndexKeys) -> [IndexedName] {
        kind.names(in: keys)
    }

    /// The names of this index that `record` gives by itself, whatever the state: for an index that derives keys,
    /// those of the record that first lists a name, which is how readers and the writer tell whose a key is.
    func names(givenBy record: Record) -> [IndexedName] {
        names(in: IndexKeys(of: record, in: Self.stateless))
    }

    private static let stateless = HookLogState(policy: .standard, queueWindow: nil)
}
