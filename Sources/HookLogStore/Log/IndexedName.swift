import HookLogCore

/// What an index lists records under, as bytes: an id's UTF-8, or for the idempotency index the workspace id's, a 0
/// byte and the `Idempotency-Key`'s. Each index keys a name by an 8-byte integer (``IndexNaming``).
struct IndexedName: Hashable, Sendable {
    /// The name's bytes, as the id table and the older indexes' keys hold them.
    let bytes: [UInt8]

    /// The name of an id.
    init<Kind>(_ id: Identifier<Kind>) {
        bytes = Array(id.rawValue.utf8)
    }

    /// The name of an `Idempotency-Key` in its workspace.
    init(_ key: IdempotencyKey) {
        bytes = Array(key.workspaceID.rawValue.utf8) + [0] + Array(key.value.utf8)
    }

    /// The name whose bytes are `bytes`, as read back from the id table or an older index.
    init(bytes: [UInt8]) {
        self.bytes = bytes
    }
}
