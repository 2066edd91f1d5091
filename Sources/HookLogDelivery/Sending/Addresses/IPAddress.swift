#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address: what a resolver answers, what the address policy judges and what the sender connects
/// to. Held as 128 bits aligned to the left (an IPv4 address in the first 32), so that a prefix compares the same
/// way in both families, without allocating.
public struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// The address family.
    public enum Family: Sendable {
        /// 32 bits.
        case v4
        /// 128 bits.
        case v6

        /// How many bits an address of the family has.
        var bitCount: Int { self == .v4 ? 32 : 128 }
    }

    /// The address's family.
    public let family: Family
    /// The first 64 bits (an IPv4 address is the top 32 of them).
    let high: UInt64
    /// The last 64 bits (0 for IPv4).
    let low: UInt64

    /// The address written as `text`: a dotted quad (`192.0.2.1`) or an IPv6 address (`2001:db8::1`,
    /// `::ffff:192.0.2.1`); nil for anything else, host names included.
    public init?(_ text: String) {
        // Bytes rather than `in_addr` and `in6_addr`: which C module declares those structs depends on the build,
        // and a release build does not always resolve their initialisers.
        var v4 = [UInt8](repeating: 0, count: 4)
        if inet_pton(AF_INET, text, &v4) == 1 {
            self.init(bytes: v4)
            return
        }
        var v6 = [UInt8](repeating: 0, count: 16)
        if inet_pton(AF_INET6, text, &v6) == 1 {
            self.init(bytes: v6)
            return
        }
        return nil
    }

    /// The address whose bytes, in network order, are `bytes`: 4 for IPv4, 16 for IPv6.
    init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (index, byte) in bytes.enumerated() {
            if index < 8 {
                high |= UInt64(byte) << (56 - 8 * index)
            } else {
                low |= UInt64(byte) << (56 - 8 * (index - 8))
            }
        }
        self.init(family: bytes.count == 4 ? .v4 : .v6, high: high, low: low)
    }

    private init(family: Family, high: UInt64, low: UInt64) {
        self.family = family
        self.high = high
        self.low = low
    }

    /// Whether the first `length` bits of the address are those of `prefix`, of the same family.
    func hasPrefix(_ prefix: IPAddress, length: Int) -> Bool {
        guard family == prefix.family else { return false }
        let highMask: UInt64 = length >= 64 ? .max : length <= 0 ? 0 : ~0 << (64 - length)
        let lowMask: UInt64 = length >= 128 ? .max : length <= 64 ? 0 : ~0 << (128 - length)
        return high & highMask == prefix.high & highMask && low & lowMask == prefix.low & lowMask
    }

    /// The IPv4 address an IPv6 address carries in its 32 bits from byte `offset` on (2 for 6to4, 12 for NAT64's
    /// /96), which must lie within one half of the address.
    func embeddedIPv4(atByte offset: Int) -> IPAddress {
        let start = offset * 8
        precondition(family == .v6 && (start + 32 <= 64 || start >= 64), "an embedded IPv4 address lies in one half")
        let value = start < 64 ? high >> (32 - start) : low >> (96 - start)
        return IPAddress(family: .v4, high: (value & 0xFFFF_FFFF) << 32, low: 0)
    }

    /// The address in its usual text form (`192.0.2.1`, `2001:db8::1`).
    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let written: UnsafePointer<CChar>? = withNetworkBytes { bytes in
            inet_ntop(family == .v4 ? AF_INET : AF_INET6, bytes.baseAddress, &buffer, socklen_t(buffer.count))
        }
        guard written != nil else { return "?" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Calls `body` with the address's bytes in network order.
    private func withNetworkBytes<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        var words = (high.bigEndian, low.bigEndian)
        return withUnsafeBytes(of: &words) { body(UnsafeRawBufferPointer(rebasing: $0.prefix(family.bitCount / 8))) }
    }
}
