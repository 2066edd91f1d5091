/// Every special-purpose block webhooks may not reach, and the few globally reachable blocks carved out of them:
/// the rows of IANA's IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and the RFCs each row names), plus
/// multicast and the IPv6 space outside global unicast. An address is judged by the most specific block that holds
/// it; an address in none of them is public.
///
/// The registries' "Globally Reachable" column decides, with these exceptions, each refused although the registry
/// marks it reachable or leaves it open: the anycast addresses of 192.0.0.0/24 and 2001::/23 (PCP, TURN, DNS-SD SRP)
/// reach a server of the sender's own network; ORCHIDv2 and DETs are identifiers, not addresses to connect to;
/// Teredo and the deprecated 6to4 relay anycast are tunnels into networks nobody vouched for. 6to4 and NAT64's
/// well-known prefix are judged by the IPv4 address they carry; NAT64's local-use /48 is refused whole.
public enum SpecialPurposeAddresses {
    /// The IPv4 blocks.
    public static let ipv4: [SpecialPurposeBlock] = [
        SpecialPurposeBlock("0.0.0.0/8", "This network", "RFC 791", .refused),
        SpecialPurposeBlock("0.0.0.0/32", "This host on this network", "RFC 1122", .refused),
        SpecialPurposeBlock("10.0.0.0/8", "Private-Use", "RFC 1918", .refused),
        SpecialPurposeBlock("100.64.0.0/10", "Shared Address Space (carrier-grade NAT)", "RFC 6598", .refused),
        SpecialPurposeBlock("127.0.0.0/8", "Loopback", "RFC 1122", .refused),
        SpecialPurposeBlock("169.254.0.0/16", "Link Local (cloud metadata services)", "RFC 3927", .refused),
        SpecialPurposeBlock("172.16.0.0/12", "Private-Use", "RFC 1918", .refused),
        SpecialPurposeBlock("192.0.0.0/24", "IETF Protocol Assignments", "RFC 6890", .refused),
        SpecialPurposeBlock("192.0.0.0/29", "IPv4 Service Continuity Prefix", "RFC 7335", .refused),
        SpecialPurposeBlock("192.0.0.8/32", "IPv4 dummy address", "RFC 7600", .refused),
        SpecialPurposeBlock("192.0.0.9/32", "Port Control Protocol Anycast", "RFC 7723", .refused),
        SpecialPurposeBlock("192.0.0.10/32", "Traversal Using Relays around NAT Anycast", "RFC 8155", .refused),
        SpecialPurposeBlock("192.0.0.170/32", "NAT64/DNS64 Discovery", "RFC 8880", .refused),
        SpecialPurposeBlock("192.0.0.171/32", "NAT64/DNS64 Discovery", "RFC 8880", .refused),
        SpecialPurposeBlock("192.0.2.0/24", "Documentation (TEST-NET-1)", "RFC 5737", .refused),
        SpecialPurposeBlock("192.31.196.0/24", "AS112-v4", "RFC 7535", .allowed),
        SpecialPurposeBlock("192.52.193.0/24", "AMT", "RFC 7450", .allowed),
        SpecialPurposeBlock("192.88.99.0/24", "Deprecated (6to4 Relay Anycast)", "RFC 7526", .refused),
        SpecialPurposeBlock("192.88.99.2/32", "6a44-relay anycast address", "RFC 6751", .refused),
        SpecialPurposeBlock("192.168.0.0/16", "Private-Use", "RFC 1918", .refused),
        SpecialPurposeBlock("192.175.48.0/24", "Direct Delegation AS112 Service", "RFC 7534", .allowed),
        SpecialPurposeBlock("198.18.0.0/15", "Benchmarking", "RFC 2544", .refused),
        SpecialPurposeBlock("198.51.100.0/24", "Documentation (TEST-NET-2)", "RFC 5737", .refused),
        SpecialPurposeBlock("203.0.113.0/24", "Documentation (TEST-NET-3)", "RFC 5737", .refused),
        SpecialPurposeBlock("224.0.0.0/4", "Multicast", "RFC 5771", .refused),
        SpecialPurposeBlock("240.0.0.0/4", "Reserved", "RFC 1112", .refused),
        SpecialPurposeBlock("255.255.255.255/32", "Limited Broadcast", "RFC 919", .refused),
    ]

    /// The IPv6 blocks.
    public static let ipv6: [SpecialPurposeBlock] = [
        SpecialPurposeBlock("::/0", "Outside global unicast (unallocated or special)", "RFC 4291", .refused),
        SpecialPurposeBlock("2000::/3", "Global Unicast", "RFC 4291", .allowed),
        SpecialPurposeBlock("::/128", "Unspecified Address", "RFC 4291", .refused),
        SpecialPurposeBlock("::1/128", "Loopback Address", "RFC 4291", .refused),
        SpecialPurposeBlock("::/96", "IPv4-compatible Address (deprecated)", "RFC 4291", .refused),
        SpecialPurposeBlock("::ffff:0:0/96", "IPv4-mapped Address", "RFC 4291", .refused),
        SpecialPurposeBlock("64:ff9b::/96", "IPv4-IPv6 Translation", "RFC 6052", .embeddedIPv4(atByte: 12)),
        SpecialPurposeBlock("64:ff9b:1::/48", "IPv4-IPv6 Translation (local use)", "RFC 8215", .refused),
        SpecialPurposeBlock("100::/64", "Discard-Only Address Block", "RFC 6666", .refused),
        SpecialPurposeBlock("100:0:0:1::/64", "Dummy IPv6 Prefix", "RFC 9780", .refused),
        SpecialPurposeBlock("2001::/23", "IETF Protocol Assignments", "RFC 2928", .refused),
        SpecialPurposeBlock("2001::/32", "TEREDO", "RFC 4380", .refused),
        SpecialPurposeBlock("2001:1::1/128", "Port Control Protocol Anycast", "RFC 7723", .refused),
        SpecialPurposeBlock("2001:1::2/128", "Traversal Using Relays around NAT Anycast", "RFC 8155", .refused),
        SpecialPurposeBlock("2001:1::3/128", "DNS-SD Service Registration Protocol Anycast", "RFC 9665", .refused),
        SpecialPurposeBlock("2001:2::/48", "Benchmarking", "RFC 5180", .refused),
        SpecialPurposeBlock("2001:3::/32", "AMT", "RFC 7450", .allowed),
        SpecialPurposeBlock("2001:4:112::/48", "AS112-v6", "RFC 7535", .allowed),
        SpecialPurposeBlock("2001:10::/28", "Deprecated (previously ORCHID)", "RFC 4843", .refused),
        SpecialPurposeBlock("2001:20::/28", "ORCHIDv2", "RFC 7343", .refused),
        SpecialPurposeBlock("2001:30::/28", "Drone Remote ID Protocol Entity Tags (DETs)", "RFC 9374", .refused),
        SpecialPurposeBlock("2001:db8::/32", "Documentation", "RFC 3849", .refused),
        SpecialPurposeBlock("2002::/16", "6to4", "RFC 3056", .embeddedIPv4(atByte: 2)),
        SpecialPurposeBlock("2620:4f:8000::/48", "Direct Delegation AS112 Service", "RFC 7534", .allowed),
        SpecialPurposeBlock("3fff::/20", "Documentation", "RFC 9637", .refused),
        SpecialPurposeBlock("5f00::/16", "Segment Routing (SRv6) SIDs", "RFC 9602", .refused),
        SpecialPurposeBlock("fc00::/7", "Unique-Local", "RFC 4193", .refused),
        SpecialPurposeBlock("fe80::/10", "Link-Local Unicast", "RFC 4291", .refused),
        SpecialPurposeBlock("fec0::/10", "Site-Local (deprecated)", "RFC 3879", .refused),
        SpecialPurposeBlock("ff00::/8", "Multicast", "RFC 4291", .refused),
    ]

    /// The most specific block holding `address`, or nil if none does.
    static func block(containing address: IPAddress) -> SpecialPurposeBlock? {
        var found: SpecialPurposeBlock?
        for block in address.family == .v4 ? ipv4 : ipv6 where block.contains(address) {
            if block.length > found?.length ?? -1 { found = block }
        }
        return found
    }
}
