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

extension Timestamp: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) { writer.write(milliseconds) }
    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        self.init(milliseconds: try reader.readInt64())
    }
}

/// An enum stored as the index of its case in `allCases`: the order of the cases is part of the format.
public protocol CaseIndexCodable: BinaryCodable, CaseIterable, Equatable where AllCases == [Self] {
    /// What a decoding error calls the value (`plan`).
    static var encodedName: String { get }
    /// `allCases`, built once: a synthesized `allCases` builds a new array on every use.
    static var casesInOrder: [Self] { get }
}

extension CaseIndexCodable {
    public func encode(to writer: inout BinaryWriter) {
        writer.write(UInt8(Self.casesInOrder.firstIndex(of: self)!))
    }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        let index = Int(try reader.readByte())
        let cases = Self.casesInOrder
        guard index < cases.count else { throw .malformed("\(Self.encodedName) \(index)") }
        self = cases[index]
    }
}

extension Plan: CaseIndexCodable {
    public static var encodedName: String { "plan" }
    public static let casesInOrder = allCases
}

extension EventType: CaseIndexCodable {
    public static var encodedName: String { "event type" }
    public static let casesInOrder = allCases
}

extension AttemptError: CaseIndexCodable {
    public static var encodedName: String { "attempt error" }
    public static let casesInOrder = allCases
}

extension AttemptFailure: BinaryCodable {
    public func encode(to writer: inout BinaryWriter) {
        switch self {
        case .status(let code):
            writer.write(UInt8(0))
            writer.write(code)
        case .error(let error):
            writer.write(UInt8(1))
            writer.write(error)
        }
    }
    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        switch try reader.readByte() {
        case 0:
            self = .status(try reader.readInt())
        case 1:
            self = .error(try reader.read())
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
