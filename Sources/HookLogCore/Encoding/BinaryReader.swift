/// Reads the values a ``BinaryWriter`` wrote, checking every length against the bytes at hand.
public struct BinaryReader {
    private let bytes: UnsafeRawBufferPointer
    private var offset = 0

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

    /// Reads a LEB128 varint.
    public mutating func readUInt64() throws(DecodingFailure) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
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
    public mutating func readString() throws(DecodingFailure) -> String {
        let length = try readLength()
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length])
        offset += length
        guard let string = String(validating: slice.bindMemory(to: UInt8.self), as: UTF8.self) else {
            throw .malformed("string is not valid UTF-8")
        }
        return string
    }

    /// Reads a length-prefixed byte string.
    public mutating func readBytes() throws(DecodingFailure) -> [UInt8] {
        let length = try readLength()
        defer { offset += length }
        return Array(bytes[offset..<offset + length])
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
            "record format version \(version) is not supported (this build reads version \(RecordCodec.formatVersion))"
        }
    }
}
