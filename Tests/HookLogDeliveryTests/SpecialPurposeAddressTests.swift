import HookLogDelivery
import Testing

/// Every block of IANA's IPv4 and IPv6 Special-Purpose Address Registries (and multicast), judged by the address
/// policy: an address inside each refused block is refused, one just outside it is allowed where the neighbour is
/// public, the globally reachable carve-outs are allowed, and well-known public addresses pass. No address here is
/// connected to: the policy is asked about each.
@Suite("Special-purpose addresses")
struct SpecialPurposeAddressTests {
    /// An address, whether the policy refuses it, and the block of the table it exercises (nil: public space).
    struct Case: Sendable, CustomTestStringConvertible {
        let address: String
        let refused: Bool
        let block: String?

        var testDescription: String { "\(address) \(refused ? "refused" : "allowed") (\(block ?? "public"))" }
    }

    static func refused(_ address: String, _ block: String) -> Case { Case(address: address, refused: true, block: block) }
    static func allowed(_ address: String, _ block: String? = nil) -> Case {
        Case(address: address, refused: false, block: block)
    }

    static let cases: [Case] = [
        refused("0.0.0.0", "0.0.0.0/32"), refused("0.255.255.255", "0.0.0.0/8"), allowed("1.0.0.0"),
        refused("10.0.0.1", "10.0.0.0/8"), refused("10.255.255.255", "10.0.0.0/8"), allowed("9.255.255.255"),
        allowed("11.0.0.0"),
        refused("100.64.0.0", "100.64.0.0/10"), refused("100.127.255.255", "100.64.0.0/10"), allowed("100.63.255.255"),
        allowed("100.128.0.0"),
        refused("127.0.0.1", "127.0.0.0/8"), refused("127.255.255.254", "127.0.0.0/8"), allowed("128.0.0.0"),
        refused("169.254.169.254", "169.254.0.0/16"), allowed("169.253.255.255"), allowed("169.255.0.0"),
        refused("172.16.0.1", "172.16.0.0/12"), refused("172.31.255.255", "172.16.0.0/12"), allowed("172.15.255.255"),
        allowed("172.32.0.0"),
        refused("192.0.0.255", "192.0.0.0/24"), allowed("191.255.255.255"), allowed("192.0.1.0"),
        refused("192.0.0.7", "192.0.0.0/29"), refused("192.0.0.8", "192.0.0.8/32"),
        refused("192.0.0.9", "192.0.0.9/32"), refused("192.0.0.10", "192.0.0.10/32"),
        refused("192.0.0.170", "192.0.0.170/32"), refused("192.0.0.171", "192.0.0.171/32"),
        refused("192.0.2.1", "192.0.2.0/24"), allowed("192.0.3.0"),
        allowed("192.31.196.1", "192.31.196.0/24"), allowed("192.52.193.1", "192.52.193.0/24"),
        refused("192.88.99.1", "192.88.99.0/24"), refused("192.88.99.2", "192.88.99.2/32"), allowed("192.88.98.255"),
        allowed("192.88.100.0"),
        refused("192.168.1.1", "192.168.0.0/16"), allowed("192.167.255.255"), allowed("192.169.0.0"),
        allowed("192.175.48.1", "192.175.48.0/24"),
        refused("198.18.0.0", "198.18.0.0/15"), refused("198.19.255.255", "198.18.0.0/15"), allowed("198.17.255.255"),
        allowed("198.20.0.0"),
        refused("198.51.100.7", "198.51.100.0/24"), allowed("198.51.99.255"), allowed("198.51.101.0"),
        refused("203.0.113.255", "203.0.113.0/24"), allowed("203.0.112.255"), allowed("203.0.114.0"),
        refused("224.0.0.1", "224.0.0.0/4"), refused("239.255.255.255", "224.0.0.0/4"), allowed("223.255.255.255"),
        refused("240.0.0.1", "240.0.0.0/4"), refused("255.255.255.254", "240.0.0.0/4"),
        refused("255.255.255.255", "255.255.255.255/32"),

        refused("4000::1", "::/0"), refused("1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "::/0"),
        allowed("2000::", "2000::/3"), allowed("3fef:ffff::1", "2000::/3"),
        refused("::", "::/128"), refused("::1", "::1/128"), refused("::8.8.8.8", "::/96"),
        refused("::ffff:8.8.8.8", "::ffff:0:0/96"), refused("::ffff:127.0.0.1", "::ffff:0:0/96"),
        refused("64:ff9b::7f00:1", "64:ff9b::/96"), refused("64:ff9b::a9fe:a9fe", "64:ff9b::/96"),
        allowed("64:ff9b::808:808", "64:ff9b::/96"),
        refused("64:ff9b:1::808:808", "64:ff9b:1::/48"),
        refused("100::1", "100::/64"), refused("100:0:0:1::1", "100:0:0:1::/64"),
        refused("2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001::/32"), refused("2001:1ff::1", "2001::/23"),
        allowed("2001:200::1"),
        refused("2001:1::1", "2001:1::1/128"), refused("2001:1::2", "2001:1::2/128"),
        refused("2001:1::3", "2001:1::3/128"),
        refused("2001:2::1", "2001:2::/48"), refused("2001:2:0:ffff::1", "2001:2::/48"),
        allowed("2001:3::1", "2001:3::/32"), allowed("2001:4:112::1", "2001:4:112::/48"),
        refused("2001:10::1", "2001:10::/28"), refused("2001:20::1", "2001:20::/28"), refused("2001:30::1", "2001:30::/28"),
        refused("2001:db8::1", "2001:db8::/32"), allowed("2001:db7:ffff::1"), allowed("2001:db9::"),
        refused("2002:7f00:1::", "2002::/16"), refused("2002:a00:1::", "2002::/16"), allowed("2002:808:808::1", "2002::/16"),
        allowed("2620:4f:8000::1", "2620:4f:8000::/48"),
        refused("3fff::1", "3fff::/20"), refused("3fff:fff::1", "3fff::/20"), allowed("3ffe:ffff::1"),
        refused("5f00::1", "5f00::/16"),
        refused("fc00::1", "fc00::/7"), refused("fdff:ffff::1", "fc00::/7"),
        refused("fe80::1", "fe80::/10"), refused("febf:ffff::1", "fe80::/10"),
        refused("fec0::1", "fec0::/10"), refused("ff02::1", "ff00::/8"),

        allowed("8.8.8.8"), allowed("1.1.1.1"), allowed("93.184.216.34"), allowed("151.101.1.69"),
        allowed("2606:4700:4700::1111"), allowed("2001:4860:4860::8888"), allowed("2a00:1450:4001:82b::200e"),
    ]

    static let policy = EndpointAddressPolicy(allowsPrivateAddresses: false)

    @Test("each address is judged as its block says", arguments: cases)
    func verdict(_ testCase: Case) throws {
        let address = try #require(IPAddress(testCase.address), "\(testCase.address) parses")
        let refusing = Self.policy.refusingBlock(for: address)
        #expect((refusing != nil) == testCase.refused, "\(refusing?.description ?? "allowed")")
        if testCase.refused { #expect(refusing?.notation == testCase.block) }
    }

    @Test("every block of the table is exercised by a case above")
    func everyBlockIsCovered() {
        let exercised = Set(Self.cases.compactMap(\.block))
        for block in SpecialPurposeAddresses.ipv4 + SpecialPurposeAddresses.ipv6 {
            #expect(exercised.contains(block.notation), "no case for \(block)")
        }
    }

    @Test("with --allow-private-endpoints, and for an exempt address, nothing is refused")
    func allowances() throws {
        let loopback = try #require(IPAddress("127.0.0.1"))
        let otherLoopback = try #require(IPAddress("127.0.0.2"))
        let exempting = EndpointAddressPolicy(allowsPrivateAddresses: false, exemptAddresses: [loopback])
        #expect(EndpointAddressPolicy(allowsPrivateAddresses: true).refusingBlock(for: loopback) == nil)
        #expect(exempting.refusingBlock(for: loopback) == nil)
        #expect(exempting.refusingBlock(for: otherLoopback)?.notation == "127.0.0.0/8")
    }

    @Test("addresses parse from their usual forms and print in them; names and malformed text do not parse")
    func parsing() {
        #expect(IPAddress("192.0.2.1")?.description == "192.0.2.1")
        #expect(IPAddress("2001:DB8:0:0:0:0:0:1")?.description == "2001:db8::1")
        #expect(IPAddress("::ffff:192.0.2.1")?.description == "::ffff:192.0.2.1")
        for text in ["hooks.example", "127.1", "256.0.0.1", "1.2.3.4.5", "::1::2", "", "[::1]"] {
            #expect(IPAddress(text) == nil, "\(text)")
        }
    }
}
