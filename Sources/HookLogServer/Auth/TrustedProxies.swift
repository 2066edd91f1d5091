import Foundation
import NIOCore

/// The reverse proxies whose `X-Forwarded-For` the server believes (`--trusted-proxy`), and so which address a
/// request comes from, as failed authentications are counted by it (``AuthenticationThrottle``).
///
/// A request's client is its peer, unless the peer is a trusted proxy: then it is the right-most address of
/// `X-Forwarded-For` that is not a trusted proxy's, since each proxy appends the address it received from and only
/// the trusted ones' additions can be believed. Without trusted proxies the header is ignored (anyone can send it).
public struct TrustedProxies: Sendable, Equatable {
    private let blocks: [AddressBlock]

    /// No proxy is trusted: the peer is the client.
    public static var none: TrustedProxies { TrustedProxies(blocks: []) }

    private init(blocks: [AddressBlock]) {
        self.blocks = blocks
    }

    /// The proxies `text` lists: addresses or CIDR blocks, separated by commas (none when it is empty); nil when one
    /// of them is neither.
    public init?(parsing text: String) {
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            self = .none
            return
        }
        var blocks: [AddressBlock] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let block = AddressBlock(item.trimmingCharacters(in: .whitespaces)) else { return nil }
            blocks.append(block)
        }
        self.init(blocks: blocks)
    }

    /// Whether `address` is one of the trusted proxies.
    func trusts(_ address: NetworkAddress) -> Bool {
        blocks.contains { $0.contains(address) }
    }

    /// The address a request from `peer` with `forwardedFor` (the values of its `X-Forwarded-For` headers, in order)
    /// comes from; nil when the peer's is unknown (not an IP socket).
    func client(peer: SocketAddress?, forwardedFor: [String]) -> NetworkAddress? {
        guard let peerText = peer?.ipAddress, let peerAddress = NetworkAddress(peerText) else { return nil }
        guard trusts(peerAddress) else { return peerAddress }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { NetworkAddress($0) }
        var client = peerAddress
        for hop in hops.reversed() {
            guard let hop else { return client }
            client = hop
            if !trusts(hop) { return hop }
        }
        return client
    }
}
