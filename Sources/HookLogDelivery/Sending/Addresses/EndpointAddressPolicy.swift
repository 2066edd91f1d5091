import HookLogCore

/// Which addresses webhooks may be delivered to: by default only public ones, so that a workspace cannot make
/// HookLog reach into the network it runs in (SSRF). The check runs when a webhook's URL is set and again in every
/// attempt, on the very addresses the attempt then connects to: the host is resolved once, through ``resolver``,
/// and every address it resolves to must pass (``SpecialPurposeAddresses``).
public struct EndpointAddressPolicy: Sendable {
    /// Why an endpoint's host is refused.
    public struct Refusal: Error, Sendable, CustomStringConvertible {
        /// Whether the host did not resolve, or resolved to an address the policy refuses.
        public enum Reason: Sendable, Equatable {
            /// The URL has no host to resolve, or the host does not resolve.
            case unresolvable
            /// The host resolves to an address in a refused block.
            case refusedAddress
        }

        /// Why.
        public let reason: Reason
        /// What to tell the user; it names the refused block but not the address, which would tell a workspace
        /// what the names of HookLog's network resolve to.
        public let description: String
    }

    /// Whether every address is allowed, special-purpose ones included (`--allow-private-endpoints`).
    public var allowsPrivateAddresses: Bool
    /// Addresses allowed although a refused block holds them.
    public var exemptAddresses: Set<IPAddress>
    /// Resolves endpoints' hosts.
    public let resolver: any EndpointResolver

    /// A policy that refuses special-purpose addresses except `exemptAddresses` unless `allowsPrivateAddresses`,
    /// resolving hosts with `resolver`.
    public init(
        allowsPrivateAddresses: Bool, exemptAddresses: Set<IPAddress> = [], resolver: any EndpointResolver = SystemResolver()
    ) {
        self.allowsPrivateAddresses = allowsPrivateAddresses
        self.exemptAddresses = exemptAddresses
        self.resolver = resolver
    }

    /// Resolves `url`'s host and throws if it does not resolve or any of its addresses is refused; with
    /// ``allowsPrivateAddresses`` it checks nothing (a host that does not resolve yet may be set).
    public func check(url: String) async throws(Refusal) {
        guard !allowsPrivateAddresses else { return }
        let host: String
        do {
            host = try EndpointURL(url).host
        } catch {
            throw Refusal(reason: .unresolvable, description: error.message)
        }
        _ = try await addresses(of: host)
    }

    /// Resolves `host` once and returns its addresses, in the resolver's order, once every one of them has passed:
    /// the addresses an attempt may connect to.
    public func addresses(of host: String) async throws(Refusal) -> [IPAddress] {
        let addresses: [IPAddress]
        do {
            addresses = try await resolver.addresses(of: host)
        } catch {
            throw Refusal(reason: .unresolvable, description: "the host \(host) does not resolve")
        }
        guard !addresses.isEmpty else {
            throw Refusal(reason: .unresolvable, description: "the host \(host) does not resolve")
        }
        for address in addresses {
            if let block = refusingBlock(for: address) {
                throw Refusal(
                    reason: .refusedAddress,
                    description: "the host \(host) resolves to an address in \(block), where webhooks are not "
                        + "delivered; such endpoints are refused unless the server runs with --allow-private-endpoints")
            }
        }
        return addresses
    }

    /// The block for which `address` is refused, or nil if webhooks may be delivered to it.
    public func refusingBlock(for address: IPAddress) -> SpecialPurposeBlock? {
        guard !allowsPrivateAddresses, !exemptAddresses.contains(address) else { return nil }
        return Self.refusingBlock(for: address)
    }

    private static func refusingBlock(for address: IPAddress) -> SpecialPurposeBlock? {
        guard let block = SpecialPurposeAddresses.block(containing: address) else { return nil }
        switch block.verdict {
        case .refused:
            return block
        case .allowed:
            return nil
        case .embeddedIPv4(let offset):
            return refusingBlock(for: address.embeddedIPv4(atByte: offset)) == nil ? nil : block
        }
    }
}
