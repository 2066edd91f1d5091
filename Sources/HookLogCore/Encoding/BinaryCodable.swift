/// A value with one binary encoding path, used for everything stored in the log.
public protocol BinaryCodable {
    /// Appends this value's encoding.
    func encode(to writer: inout BinaryWriter)
    /// Reads a value that ``encode(to:)`` wrote.
    init(from reader: inout BinaryReader) throws(DecodingFailure)
}

extension BinaryWriter {
    /// Appends a nested binary-codable value.
    public mutating func write(_ value: some BinaryCodable) {
        value.encode(to: &self)
    }
}

extension Identifier: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) { writer.write(rawValue) }
    public init(from reader: inout BinaryReader) throws(DecodingFailure) { self.init(try reader.readString()) }
}

extension Timestamp: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) { writer.write(milliseconds) }
    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        self.init(milliseconds: try reader.readInt64())
    }
}

extension Plan: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) { writer.write(UInt8(Plan.allCases.firstIndex(of: self)!)) }
    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        let index = Int(try reader.readByte())
        guard index < Plan.allCases.count else { throw .malformed("plan \(index)") }
        self = Plan.allCases[index]
    }
}

extension EventType: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) {
        writer.write(UInt8(EventType.allCases.firstIndex(of: self)!))
    }
    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        let index = Int(try reader.readByte())
        guard index < EventType.allCases.count else { throw .malformed("event type \(index)") }
        self = EventType.allCases[index]
    }
}

extension AttemptFailure: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) {
        switch self {
        case .status(let code):
            writer.write(UInt8(0))
            writer.write(code)
        case .error(let error):
            writer.write(UInt8(1))
            writer.write(UInt8(AttemptError.allCases.firstIndex(of: error)!))
        }
    }
    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        switch try reader.readByte() {
        case 0:
            self = .status(try reader.readInt())
        case 1:
            let index = Int(try reader.readByte())
            guard index < AttemptError.allCases.count else { throw .malformed("attempt error \(index)") }
            self = .error(AttemptError.allCases[index])
        case let other:
            throw .malformed("attempt failure kind \(other)")
        }
    }
}

extension BinaryReader {
    /// Reads a nested binary-codable value.
    public mutating func read<T: BinaryCodable>(_ type: T.Type = T.self) throws(DecodingFailure) -> T {
        try T(from: &self)
    }
}
