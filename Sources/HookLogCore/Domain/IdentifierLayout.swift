/// How the 100 bits of a generated id (``IdentifierSource``) are laid out, from its first character: the millisecond
/// it was drawn in since the Unix epoch (48 bits, enough for the next 8,000 years), a counter that orders the ids one
/// source draws within that millisecond (15 bits), and 37 random bits.
///
/// So ids sort by when they were made, and an id tells the millisecond it was made in, as UUIDv7, ULID and KSUID do.
/// Their first 63 bits (millisecond and counter) are what the store keys a generated event or delivery id by.
public enum IdentifierLayout {
    /// Bits of the millisecond.
    static let millisecondBits = 48
    /// Bits of the counter within a millisecond.
    static let counterBits = 15
    /// Random bits, after the counter.
    static let randomBits = 37

    static let millisecondMask: UInt64 = 1 << millisecondBits - 1
    static let counterMask: UInt64 = 1 << counterBits - 1

    /// The first 63 bits of `text` when it is a generated id of `prefix` (the prefix, then 20 characters of the
    /// alphabet): the millisecond and counter of an id ``IdentifierSource`` drew, as the low 63 bits of the result;
    /// nil for any other text.
    public static func leadingBits(of text: [UInt8], prefix: String) -> UInt64? {
        let prefixCount = prefix.utf8.count
        guard text.count == prefixCount + PackedIdentifier.characters, text.starts(with: prefix.utf8) else { return nil }
        var leading: UInt64 = 0
        for (index, character) in text[prefixCount...].enumerated() {
            let value = PackedIdentifier.values[Int(character)]
            guard value != 0xFF else { return nil }
            // 12 characters give 60 bits, and the 13th its first 3.
            if index < 12 {
                leading = leading << 5 | UInt64(value)
            } else if index == 12 {
                leading = leading << 3 | UInt64(value >> 2)
            }
        }
        return leading
    }
}
