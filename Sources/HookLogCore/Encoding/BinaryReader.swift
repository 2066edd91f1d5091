/// Reads the values a ``BinaryWriter`` wrote, checking every length against the bytes at hand.
public struct BinaryReader {
    private let bytes: UnsafeRawBufferPointer
    private var offset = 0
    /// The record format the bytes were written in (``RecordCodec/formatVersion`` unless the record says otherwise),
    /// for a fact whose layout differs between formats.
    public internal(set) var recordFormat = RecordCodec.formatVersion

    /// A reader over `bytes`, which must outlive it.
    public init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Whether every byte has been read.
    public var isAtEnd: Bool { offset == bytes.count }

    /// Reads one raw byte.
    public mutating func readByte() throws(DecodingFailure) -> UInt8 {
        guard offset < bytes.count else { throw .truncated }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// Reads a LEB128 varint; one of a single byte (a length, a count, a small number) returns at once.
    public mutating func readUInt64() throws(DecodingFailure) -> UInt64 {
        let first = try readByte()
        if first < 0x80 { return UInt64(first) }
        var value = UInt64(first & 0x7F)
        var shift: UInt64 = 7
        while true {
            let byte = try readByte()
            guard shift < 64 else { throw .malformed("varint longer than 64 bits") }
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    /// Reads a zigzag-encoded signed varint.
    public mutating func readInt64() throws(DecodingFailure) -> Int64 {
        let raw = try readUInt64()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    /// Reads a signed varint that must fit an `Int`.
    public mutating func readInt() throws(DecodingFailure) -> Int {
        let value = try readInt64()
        guard let int = Int(exactly: value) else { throw .malformed("integer \(value) out of range") }
        return int
    }

    /// Reads a boolean byte (0 or 1).
    public mutating func readBool() throws(DecodingFailure) -> Bool {
        switch try readByte() {
        case 0: return false
        case 1: return true
        case let other: throw .malformed("boolean byte \(other)")
        }
    }

    /// Reads a length and checks that many bytes remain.
    private mutating func readLength() throws(DecodingFailure) -> Int {
        let length = try readUInt64()
        guard length <= UInt64(bytes.count - offset) else { throw .truncated }
        return Int(length)
    }

    /// Reads a length-prefixed UTF-8 string; invalid UTF-8 is an error.
    ///
    /// Ids, keys and most other strings of the log are ASCII: those take a word-at-a-time check and the standard
    /// library's contiguous UTF-8 path, and only the others the full generic validation.
    public mutating func readString() throws(DecodingFailure) -> String {
        try readString(byteCount: try readUInt64())
    }

    /// Reads a UTF-8 string of `byteCount` bytes, whose length was read already.
    mutating func readString(byteCount: UInt64) throws(DecodingFailure) -> String {
        guard byteCount <= UInt64(bytes.count - offset) else { throw .truncated }
        let length = Int(byteCount)
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length])
        offset += length
        let utf8 = slice.bindMemory(to: UInt8.self)
        if Self.isASCII(slice) { return String(decoding: utf8, as: UTF8.self) }
        guard let string = String(validating: utf8, as: UTF8.self) else {
            throw .malformed("string is not valid UTF-8")
        }
        return string
    }

    /// Whether every byte is below 0x80, read eight bytes at a time (the last eight overlapping the word before).
    private static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var combined: UInt64 = 0
        if bytes.count >= 8 {
            var index = 0
            while index + 8 <= bytes.count {
                combined |= bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                index += 8
            }
            combined |= bytes.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self)
        } else {
            for byte in bytes { combined |= UInt64(byte) }
        }
        return combined & 0x8080_8080_8080_8080 == 0
    }

    /// Reads `count` bytes written with no length, in place: valid as long as the reader's bytes are.
    mutating func readRawBytes(_ count: Int) throws(DecodingFailure) -> UnsafeRawBufferPointer {
        guard count <= bytes.count - offset else { throw .truncated }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count])
    }

    /// Reads a length-prefixed byte string, copied in one move.
    public mutating func readBytes() throws(DecodingFailure) -> [UInt8] {
        let length = try readLength()
        defer { offset += length }
        let source = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length])
        return [UInt8](unsafeUninitializedCapacity: length) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: source)
            initialized = length
        }
    }

    /// Reads an optional value written with a presence byte.
    public mutating func readOptional<T>(
        _ readValue: (inout BinaryReader) throws(DecodingFailure) -> T
    ) throws(DecodingFailure) -> T? {
        try readBool() ? try readValue(&self) : nil
    }

    /// Reads an array written as a count and its elements.
    public mutating func readArray<T>(
        _ readValue: (inout BinaryReader) throws(DecodingFailure) -> T
    ) throws(DecodingFailure) -> [T] {
        let count = try readUInt64()
        guard count <= UInt64(bytes.count - offset) else { throw .truncated }
        var values = [T]()
        values.reserveCapacity(Int(count))
        for _ in 0..<count { values.append(try readValue(&self)) }
        return values
    }
}

/// Why bytes could not be decoded.
public enum DecodingFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// The bytes end before the value does.
    case truncated
    /// The bytes are not a valid encoding: the text says what was wrong.
    case malformed(String)
    /// The record was written in a format version this build does not read.
    case unsupportedVersion(UInt8)

    public var description: String {
        switch self {
        case .truncated: "record is truncated"
        case .malformed(let reason): "record is malformed: \(reason)"
        case .unsupportedVersion(let version):
            "record format version \(version) is not supported (this build reads versions \(RecordCodec.readableFormats))"
        }
    }
}
