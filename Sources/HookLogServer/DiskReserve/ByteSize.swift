/// A number of bytes as people write and read it: `536870912`, `512MiB`, `512 MiB`, `8 KiB`, `2GiB` in
/// (``init(parsing:)``), and `512 MiB` or `3.2 MiB` out (``description``).
public struct ByteSize: Sendable, Hashable, CustomStringConvertible {
    /// The number of bytes.
    public var bytes: UInt64

    /// A size of `bytes` bytes.
    public init(bytes: UInt64) {
        self.bytes = bytes
    }

    private static let units: [(suffix: String, bytes: UInt64)] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)]

    /// Reads plain bytes (`536870912`), or a whole number of `KiB`, `MiB` or `GiB` (any case, a space allowed before
    /// the unit); nil for anything else, such as a sign, a fraction, another unit or a size past 2⁶⁴ − 1 bytes.
    public init?(parsing text: String) {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        let rest = text.dropFirst(digits.count)
        let suffix = rest.hasPrefix(" ") ? rest.dropFirst() : rest
        guard !digits.isEmpty, let number = UInt64(digits) else { return nil }
        let unit: UInt64
        if suffix.isEmpty, rest.isEmpty {
            unit = 1
        } else if let match = Self.units.first(where: { $0.suffix.lowercased() == suffix.lowercased() }) {
            unit = match.bytes
        } else {
            return nil
        }
        let (bytes, overflow) = number.multipliedReportingOverflow(by: unit)
        guard !overflow else { return nil }
        self.bytes = bytes
    }

    /// The size in the largest unit it reaches, to one decimal when not whole: `512 MiB`, `3.2 MiB`, `900 bytes`.
    public var description: String {
        guard let unit = Self.units.first(where: { bytes >= $0.bytes }) else {
            return bytes == 1 ? "1 byte" : "\(bytes) bytes"
        }
        var (whole, tenths) = (bytes / unit.bytes, (bytes % unit.bytes * 10 + unit.bytes / 2) / unit.bytes)
        if tenths == 10 { (whole, tenths) = (whole + 1, 0) }
        return tenths == 0 ? "\(whole) \(unit.suffix)" : "\(whole).\(tenths) \(unit.suffix)"
    }
}
