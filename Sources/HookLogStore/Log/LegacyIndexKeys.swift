import HookLogCore

/// The index keys of storage formats 1 to 4, read only to answer queries on an older directory opened read-only and
/// to migrate one: every index entry was a key with an empty value, the name's bytes, a 0 byte and the big-endian
/// sequence; a time entry the time with its sign bit flipped, then the sequence.
enum LegacyIndexKeys {
    /// The prefix shared by every entry of one name: its bytes and a 0 byte.
    static func prefix(_ name: IndexedName) -> [UInt8] {
        name.bytes + [0]
    }

    /// An index entry: the name's prefix, then the sequence of the record it points to.
    static func entry(_ name: IndexedName, _ sequence: UInt64) -> [UInt8] {
        prefix(name) + LogKeys.sequence(sequence)
    }

    /// The name an entry lists its record under.
    static func name(ofEntry key: UnsafeRawBufferPointer) -> IndexedName {
        IndexedName(bytes: Array(key.prefix(max(key.count - 9, 0))))
    }

    /// A time entry: the record's time (sign bit flipped, so negative times sort first), then its sequence.
    static func timeEntry(_ at: Timestamp, _ sequence: UInt64) -> [UInt8] {
        LogKeys.time(at) + LogKeys.sequence(sequence)
    }

    /// The time of a time entry.
    static func time(ofTimeEntry key: UnsafeRawBufferPointer) -> Timestamp {
        LogKeys.time(from: UnsafeRawBufferPointer(rebasing: key.prefix(8)))
    }
}
