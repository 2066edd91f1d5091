import HookLogCore

/// The byte layouts of the log's keys and index values (storage format 5). Numbers are big-endian so that LMDB's
/// byte order is numeric order.
///
/// Every index but `by_time` keys a name by an 8-byte integer (``IndexNaming``: its number in the id table, or its
/// hash) and holds, as that key's sorted fixed-size values, the sequences of the records it lists; `by_time` keys a run
/// of 1,000 milliseconds and holds its records as their millisecond within it followed by their sequence
/// (``timeIndexValue(_:_:)``).
enum LogKeys {
    /// A sequence number as the `log` database's key and as an index's value.
    static func sequence(_ sequence: UInt64) -> [UInt8] {
        withUnsafeBytes(of: sequence.bigEndian, Array.init)
    }

    /// Reads a key or value written by ``sequence(_:)``: its last 8 bytes.
    static func sequence(from bytes: UnsafeRawBufferPointer) -> UInt64 {
        precondition(bytes.count >= 8, "sequences are 8 bytes")
        return bytes.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self).bigEndian
    }

    /// A name's integer (its number in the id table, or its hash) as an index's key.
    static func number(_ number: UInt64) -> [UInt8] {
        sequence(number)
    }

    /// Reads a key written by ``number(_:)``.
    static func number(from key: UnsafeRawBufferPointer) -> UInt64 {
        sequence(from: key)
    }

    /// The longest key LMDB stores (`mdb_env_get_maxkeysize` of a default build): a longer name has no place in the id
    /// table, nor, in an older directory, any index entry.
    static let maxKeyBytes = 511

    /// A time in milliseconds with its sign bit flipped, so that negative times sort first.
    static func time(_ at: Timestamp) -> [UInt8] {
        sequence(orderedMilliseconds(at))
    }

    /// Reads 8 bytes written by ``time(_:)``.
    static func time(from bytes: UnsafeRawBufferPointer) -> Timestamp {
        Timestamp(orderedMilliseconds: sequence(from: bytes))
    }

    /// How many low bits of a `by_time` value hold the sequence: sequences stay below 2⁵⁴.
    static let timeIndexSequenceBits = 54

    /// The `by_time` key of a record's time: which run of 1,000 milliseconds it falls in, counted in the order of
    /// ``time(_:)``.
    static func timeIndexKey(_ at: Timestamp) -> [UInt8] {
        sequence(orderedMilliseconds(at) / 1000)
    }

    /// The `by_time` key after that of `at`.
    static func timeIndexKey(after at: Timestamp) -> [UInt8] {
        sequence(orderedMilliseconds(at) / 1000 + 1)
    }

    /// The `by_time` value of a record: its millisecond within its run in the top 10 bits and its sequence in the
    /// low 54, so that a run's values sort by time, then by sequence.
    static func timeIndexValue(_ at: Timestamp, _ sequence: UInt64) -> [UInt8] {
        precondition(sequence >> timeIndexSequenceBits == 0, "sequences stay below 2^54")
        return Self.sequence((orderedMilliseconds(at) % 1000) << timeIndexSequenceBits | sequence)
    }

    /// The sequence in a `by_time` value.
    static func sequence(fromTimeIndexValue value: UnsafeRawBufferPointer) -> UInt64 {
        sequence(from: value) & (1 << timeIndexSequenceBits - 1)
    }

    /// The time of a `by_time` entry.
    static func time(fromTimeIndexKey key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) -> Timestamp {
        Timestamp(orderedMilliseconds: sequence(from: key) * 1000 + sequence(from: value) >> timeIndexSequenceBits)
    }

    /// A time as an unsigned number in the same order: its milliseconds with the sign bit flipped.
    private static func orderedMilliseconds(_ at: Timestamp) -> UInt64 {
        UInt64(bitPattern: at.milliseconds) ^ (1 << 63)
    }
}

private extension Timestamp {
    /// The time that ``LogKeys`` writes as `ordered`.
    init(orderedMilliseconds ordered: UInt64) {
        self.init(milliseconds: Int64(bitPattern: ordered ^ (1 << 63)))
    }
}
