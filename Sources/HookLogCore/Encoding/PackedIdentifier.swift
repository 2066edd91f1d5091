/// The forms of a generated id (``IdentifierSource``, ``IdentifierLayout``): its kind's prefix and 20 characters of
/// Crockford base32, which hold 100 bits; ``Identifier`` keeps those bits, and records of format 3 write them in 13
/// bytes, the last 4 bits zero, where the text takes 23 or 24.
enum PackedIdentifier {
    /// The characters of generated ids, each worth its index: Crockford base32, lowercase.
    static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)
    /// How many characters follow the prefix.
    static let characters = 20
    /// How many bytes the packed form takes.
    static let byteCount = 13

    /// The value of each alphabet character, 0xFF for any other byte.
    static let values: [UInt8] = {
        var values = [UInt8](repeating: 0xFF, count: 256)
        for (value, character) in alphabet.enumerated() { values[Int(character)] = UInt8(value) }
        return values
    }()

    /// The 100 bits of `id` when it is `prefix` followed by 20 alphabet characters; nil otherwise.
    static func bits(of id: String, prefix: String) -> UInt128? {
        var utf8 = Substring(id).utf8
        guard utf8.count == prefix.utf8.count + characters, utf8.starts(with: prefix.utf8) else { return nil }
        utf8.removeFirst(prefix.utf8.count)
        var bits: UInt128 = 0
        for character in utf8 {
            let value = values[Int(character)]
            guard value != 0xFF else { return nil }
            bits = bits << 5 | UInt128(value)
        }
        return bits
    }

    /// The text of the generated id of `prefix` that holds `bits`.
    static func text(of bits: UInt128, prefix: String) -> String {
        let prefixCount = prefix.utf8.count
        return String(unsafeUninitializedCapacity: prefixCount + characters) { text in
            _ = text.initialize(fromContentsOf: prefix.utf8)
            for index in 0..<characters {
                let shift = 5 * (characters - 1 - index)
                text[prefixCount + index] = alphabet[Int(truncatingIfNeeded: bits >> shift & 31)]
            }
            return prefixCount + characters
        }
    }

    /// Writes the 13 bytes of `bits`: big-endian, then 4 zero bits.
    static func write(_ bits: UInt128, to writer: inout BinaryWriter) {
        let shifted = bits << 4
        for index in (0..<byteCount).reversed() { writer.write(UInt8(truncatingIfNeeded: shifted >> (8 * index))) }
    }

    /// The bits `packed` holds; nil when its last 4 bits are not zero, which ``write(_:to:)`` never writes.
    static func bits(ofPacked packed: UnsafeRawBufferPointer) -> UInt128? {
        guard packed.count == byteCount, packed[byteCount - 1] & 0x0F == 0 else { return nil }
        // The first 8 bytes in one load, then the last 5: every record names several ids, and a replay reads millions.
        let high = UInt64(bigEndian: packed.loadUnaligned(as: UInt64.self))
        let low = packed[8...].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return (UInt128(high) << 40 | UInt128(low)) >> 4
    }
}
