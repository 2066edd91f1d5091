/// Record format 3 writes a generated id (its kind's prefix and 20 characters of Crockford base32) as a 0 byte, a 1
/// byte and its 13 packed bytes (``PackedIdentifier``), the empty id as two 0 bytes, and any other id as a string: its
/// length, never 0, then its UTF-8. Formats 1 and 2 wrote every id as a string.
extension Identifier: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) {
        if let bits = generatedBits {
            writer.write(UInt8(0))
            writer.write(UInt8(1))
            PackedIdentifier.write(bits, to: &writer)
        } else if rawValue.isEmpty {
            writer.write(UInt8(0))
            writer.write(UInt8(0))
        } else {
            writer.write(rawValue)
        }
    }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        guard reader.recordFormat >= 3 else {
            self.init(try reader.readString())
            return
        }
        let length = try reader.readUInt64()
        guard length == 0 else {
            self.init(try reader.readString(byteCount: length))
            return
        }
        switch try reader.readByte() {
        case 0:
            self.init("")
        case 1:
            guard let bits = PackedIdentifier.bits(ofPacked: try reader.readRawBytes(PackedIdentifier.byteCount))
            else { throw .malformed("packed id with trailing bits") }
            self.init(generated: bits)
        case let other:
            throw .malformed("id form \(other)")
        }
    }
}
