import Foundation

/// An IPv4 or IPv6 address as its bytes (4 or 16), parsed from text; an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`,
/// as a dual-stack socket reports an IPv4 peer) is the IPv4 address it maps.
struct NetworkAddress: Hashable, Sendable, CustomStringConvertible {
    let bytes: [UInt8]

    /// The address `text` spells (an IPv6 one may be in brackets); nil when it is not an address.
    init?(_ text: some StringProtocol) {
        var text = String(text).trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        // Bytes rather than `in_addr` and `in6_addr`: which C module declares those structs depends on the build,
        // and a release build does not always resolve their initialisers.
        var v4 = [UInt8](repeating: 0, count: 4)
        var v6 = [UInt8](repeating: 0, count: 16)
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = v4
        } else if inet_pton(AF_INET6, text, &v6) == 1 {
            bytes = v6.prefix(12) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF] ? Array(v6.suffix(4)) : v6
        } else {
            return nil
        }
    }

    var description: String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
            .joined(separator: ":")
    }
}

/// A block of addresses in CIDR notation (`10.0.0.0/8`, `fd00::/8`), or one address (a block of one).
struct AddressBlock: Hashable, Sendable {
    let network: NetworkAddress
    let prefixLength: Int

    /// The block `text` spells; nil when it is neither an address nor an address with a prefix length that fits it.
    init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", maxSplits: 1)
        guard let first = parts.first, let network = NetworkAddress(first) else { return nil }
        let bits = network.bytes.count * 8
        if parts.count == 2 {
            guard let length = Int(parts[1]), (0...bits).contains(length) else { return nil }
            prefixLength = length
        } else {
            prefixLength = bits
        }
        self.network = network
    }

    /// Whether `address` is in the block.
    func contains(_ address: NetworkAddress) -> Bool {
        guard address.bytes.count == network.bytes.count else { return false }
        var remaining = prefixLength
        for (a, b) in zip(address.bytes, network.bytes) where remaining > 0 {
            let mask: UInt8 = remaining >= 8 ? 0xFF : ~(0xFF >> UInt8(remaining))
            guard a & mask == b & mask else { return false }
            remaining -= 8
        }
        return true
    }
}
