import HookLogCore

/// The byte layouts of the log's keys. Numbers are big-endian so that LMDB's byte order is numeric order.
enum LogKeys {
    /// A sequence number as the `log` database's key.
    static func sequence(_ sequence: UInt64) -> [UInt8] {
        withUnsafeBytes(of: sequence.bigEndian, Array.init)
    }

    /// Reads a key written by ``sequence(_:)``.
    static func sequence(from key: UnsafeRawBufferPointer) -> UInt64 {
        precondition(key.count >= 8, "sequence keys are 8 bytes")
        return key.loadUnaligned(fromByteOffset: key.count - 8, as: UInt64.self).bigEndian
    }

    /// The prefix shared by every index entry of one id: its UTF-8 bytes and a 0 byte.
    static func indexPrefix(_ id: String) -> [UInt8] {
        var prefix: [UInt8] = []
        prefix.reserveCapacity(id.utf8.count + 1 + 8)
        appendPrefix(id, to: &prefix)
        return prefix
    }

    /// An index entry: the id's prefix, then the sequence of the record it points to, built in one allocation (the
    /// writer builds several per record).
    static func indexEntry(_ id: String, _ sequence: UInt64) -> [UInt8] {
        var entry = indexPrefix(id)
        appendBigEndian(sequence, to: &entry)
        return entry
    }

    /// The prefix shared by the idempotency index's entries of one key: the workspace's prefix, then the key's.
    static func idempotencyPrefix(_ key: IdempotencyKey) -> [UInt8] {
        var prefix: [UInt8] = []
        prefix.reserveCapacity(key.workspaceID.rawValue.utf8.count + 1 + key.value.utf8.count + 1 + 8)
        appendPrefix(key.workspaceID.rawValue, to: &prefix)
        appendPrefix(key.value, to: &prefix)
        return prefix
    }

    /// An idempotency index entry: the key's prefix, then the sequence of the `EventReceived` record carrying it.
    static func idempotencyEntry(_ key: IdempotencyKey, _ sequence: UInt64) -> [UInt8] {
        var entry = idempotencyPrefix(key)
        appendBigEndian(sequence, to: &entry)
        return entry
    }

    private static func appendPrefix(_ id: String, to key: inout [UInt8]) {
        key.append(contentsOf: id.utf8)
        key.append(0)
    }

    private static func appendBigEndian(_ value: UInt64, to key: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { key.append(contentsOf: $0) }
    }

    /// The longest key LMDB stores (`mdb_env_get_maxkeysize` of a default build): an id whose entries would be longer
    /// has none.
    static let maxKeyBytes = 511

    /// A time index entry: the record's time (sign bit flipped, so negative times sort first), then its sequence.
    static func timeEntry(_ at: Timestamp, _ sequence: UInt64) -> [UInt8] {
        var entry: [UInt8] = []
        entry.reserveCapacity(16)
        appendBigEndian(UInt64(bitPattern: at.milliseconds) ^ (1 << 63), to: &entry)
        appendBigEndian(sequence, to: &entry)
        return entry
    }
}
