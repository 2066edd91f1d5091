import HookLogCore

/// A record as a copy of a log carries it (``LogMigration``): at the sequence its log gave it, with the names each
/// named index lists it under there. A record kept from before the base snapshot cannot have its names told again
/// (they came from the state just before it, which is gone), so a copy takes them from the source's index.
struct IndexedRecord: Sendable {
    var entry: LoggedRecord
    var names: [NamedIndex.Kind: Set<IndexedName>]

    /// `entry` with the names each index lists a record of `keys` under.
    init(_ entry: LoggedRecord, keys: IndexKeys) {
        self.entry = entry
        names = [:]
        for kind in NamedIndex.Kind.allCases {
            let listed = Set(kind.names(in: keys))
            if !listed.isEmpty { names[kind] = listed }
        }
    }

    /// `entry` listed under `names`.
    init(_ entry: LoggedRecord, names: [NamedIndex.Kind: Set<IndexedName>]) {
        self.entry = entry
        self.names = names
    }
}
