/// Appends values to a byte buffer in HookLog's record encoding: LEB128 varints, zigzag for signed
/// integers, and length-prefixed strings and byte strings.
public struct BinaryWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8] = []

    /// An empty writer.
    public init() {}

    /// Appends one raw byte.
    public mutating func write(_ byte: UInt8) {
        bytes.append(byte)
    }

    /// Appends an unsigned integer as a LEB128 varint.
    public mutating func write(_ value: UInt64) {
        var remaining = value
        while remaining >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        bytes.append(UInt8(remaining))
    }

    /// Appends a signed integer, zigzag-encoded so that small magnitudes stay short.
    public mutating func write(_ value: Int64) {
        write(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// Appends an `Int` as a signed varint.
    public mutating func write(_ value: Int) {
        write(Int64(value))
    }

    /// Appends a boolean as one byte.
    public mutating func write(_ value: Bool) {
        bytes.append(value ? 1 : 0)
    }

    /// Appends a string: its UTF-8 length, then its UTF-8 bytes.
    public mutating func write(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            write(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// Appends a byte string: its length, then the bytes.
    public mutating func write(_ value: [UInt8]) {
        write(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// Appends an optional value: a presence byte, then the value when present.
    public mutating func write<T>(_ value: T?, _ writeValue: (inout BinaryWriter, T) -> Void) {
        if let value {
            write(true)
            writeValue(&self, value)
        } else {
            write(false)
        }
    }

    /// Appends an array: its count, then each element.
    public mutating func write<T>(_ values: [T], _ writeValue: (inout BinaryWriter, T) -> Void) {
        write(UInt64(values.count))
        for value in values { writeValue(&self, value) }
    }
}
