/// A generated id packed for records of format 3: an id of its kind's prefix and 20 characters of Crockford base32
/// (``IdentifierSource``, ``IdentifierLayout``) holds 100 bits, which take 13 bytes, the last 4 bits zero, where its text takes 23 or 24.
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

    /// The packed form of `id` when it is `prefix` followed by 20 alphabet characters; nil otherwise.
    static func pack(_ id: String, prefix: String) -> [UInt8]? {
        var utf8 = Substring(id).utf8
        guard utf8.count == prefix.utf8.count + characters, utf8.starts(with: prefix.utf8) else { return nil }
        utf8.removeFirst(prefix.utf8.count)
        var packed: [UInt8] = []
        packed.reserveCapacity(byteCount)
        var accumulator: UInt32 = 0
        var bits = 0
        for character in utf8 {
            let value = values[Int(character)]
            guard value != 0xFF else { return nil }
            accumulator = accumulator << 5 | UInt32(value)
            bits += 5
            if bits >= 8 {
                bits -= 8
                packed.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        packed.append(UInt8(truncatingIfNeeded: accumulator << UInt32(8 - bits)))
        return packed
    }

    /// The id `packed` holds, after `prefix`; nil when its last 4 bits are not zero, which ``pack(_:prefix:)`` never
    /// writes.
    static func unpack(_ packed: UnsafeRawBufferPointer, prefix: String) -> String? {
        guard packed.count == byteCount, packed[byteCount - 1] & 0x0F == 0 else { return nil }
        let prefixCount = prefix.utf8.count
        return String(unsafeUninitializedCapacity: prefixCount + characters) { text in
            _ = text.initialize(fromContentsOf: prefix.utf8)
            var accumulator: UInt32 = 0
            var bits = 0
            var bytes = packed.makeIterator()
            for index in prefixCount..<prefixCount + characters {
                if bits < 5, let byte = bytes.next() {
                    accumulator = accumulator << 8 | UInt32(byte)
                    bits += 8
                }
                bits -= 5
                text[index] = alphabet[Int(accumulator >> UInt32(bits) & 31)]
            }
            return prefixCount + characters
        }
    }
}
