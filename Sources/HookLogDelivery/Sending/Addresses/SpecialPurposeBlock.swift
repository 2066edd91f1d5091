/// One block of addresses set aside for a special purpose (a row of IANA's IPv4 or IPv6 Special-Purpose Address
/// Registry, or of a registry beside them such as multicast), and whether webhooks may be delivered into it.
public struct SpecialPurposeBlock: Sendable, CustomStringConvertible {
    /// What the address policy makes of an address in the block.
    public enum Verdict: Sendable, Equatable {
        /// Webhooks are not delivered to it.
        case refused
        /// Webhooks may be delivered to it: a globally reachable block carved out of a refused one.
        case allowed
        /// The block carries an IPv4 address from byte `atByte` on (NAT64, 6to4), judged as that address is.
        case embeddedIPv4(atByte: Int)
    }

    /// The block in CIDR notation, such as `10.0.0.0/8`.
    public let notation: String
    /// Its name in the registry, such as `Private-Use`.
    public let name: String
    /// The RFC that set it aside.
    public let reference: String
    /// Whether webhooks may be delivered into it.
    public let verdict: Verdict
    /// The block's first address.
    let prefix: IPAddress
    /// How many leading bits every address of the block shares with ``prefix``.
    let length: Int

    /// The block `notation` (a literal of the registry table: a malformed one is a programming error).
    init(_ notation: String, _ name: String, _ reference: String, _ verdict: Verdict) {
        let parts = notation.split(separator: "/")
        guard parts.count == 2, let prefix = IPAddress(String(parts[0])), let length = Int(parts[1]),
            (0...prefix.family.bitCount).contains(length)
        else { preconditionFailure("malformed block \(notation) in the special-purpose table") }
        self.notation = notation
        self.name = name
        self.reference = reference
        self.verdict = verdict
        self.prefix = prefix
        self.length = length
    }

    /// Whether `address` lies in the block.
    public func contains(_ address: IPAddress) -> Bool {
        address.hasPrefix(prefix, length: length)
    }

    /// `10.0.0.0/8 (Private-Use, RFC 1918)`.
    public var description: String {
        "\(notation) (\(name), \(reference))"
    }
}
