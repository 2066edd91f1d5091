import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HookLogCore
import NIOPosix

/// Which addresses webhooks may be delivered to: by default only public ones, so that a workspace cannot make
/// HookLog reach into the network it runs in (SSRF). The check runs when a webhook's URL is set and again before
/// every attempt, since a name can resolve differently later.
public struct EndpointAddressPolicy: Sendable {
    /// Why an endpoint's host is refused.
    public struct Refusal: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Whether private, loopback, link-local and other non-public addresses are allowed.
    public var allowsPrivateAddresses: Bool

    /// A policy that refuses non-public addresses unless `allowsPrivateAddresses`.
    public init(allowsPrivateAddresses: Bool) {
        self.allowsPrivateAddresses = allowsPrivateAddresses
    }

    /// Resolves `url`'s host and throws if it does not resolve or any of its addresses is refused.
    public func check(url: String) async throws(Refusal) {
        guard !allowsPrivateAddresses else { return }
        let host: String
        do {
            host = try EndpointURL(url).host
        } catch {
            throw Refusal(description: error.message)
        }
        let addresses: [IPAddress]
        do {
            addresses = try await NIOThreadPool.singleton.runIfActive { try IPAddress.resolve(host) }
        } catch {
            throw Refusal(description: "the host \(host) does not resolve")
        }
        if let refused = addresses.first(where: { !$0.isPublic }) {
            throw Refusal(
                description: "the host \(host) resolves to \(refused), a private, loopback or link-local address; "
                    + "such endpoints are refused unless the server runs with --allow-private-endpoints")
        }
    }
}

/// An IPv4 or IPv6 address, as a resolver returns it.
struct IPAddress: Sendable, CustomStringConvertible, Equatable {
    /// 4 bytes for IPv4, 16 for IPv6.
    let bytes: [UInt8]

    /// Every address `host` resolves to (a literal resolves to itself).
    static func resolve(_ host: String) throws -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0, let first = list else { throw Resolution.failed(status) }
        defer { freeaddrinfo(list) }
        var addresses: [IPAddress] = []
        for entry in sequence(first: first, next: { $0.pointee.ai_next }) {
            guard let socketAddress = entry.pointee.ai_addr.map(UnsafeRawPointer.init) else { continue }
            // The address is read at its offset in `sockaddr_in` (4 bytes after family and port) and `sockaddr_in6`
            // (8, after the flow label too), the same on Linux and Darwin: which C module declares those structs'
            // fields depends on the build, and a member import would not always resolve.
            switch Int32(entry.pointee.ai_family) {
            case AF_INET:
                addresses.append(IPAddress(bytes: Array(UnsafeRawBufferPointer(start: socketAddress + 4, count: 4))))
            case AF_INET6:
                addresses.append(IPAddress(bytes: Array(UnsafeRawBufferPointer(start: socketAddress + 8, count: 16))))
            default:
                continue
            }
        }
        guard !addresses.isEmpty else { throw Resolution.failed(0) }
        return addresses
    }

    enum Resolution: Error {
        case failed(Int32)
    }

    /// Whether the address is routable on the public internet: not private (RFC 1918, RFC 4193), loopback,
    /// link-local, shared (RFC 6598), unspecified, multicast, reserved or documentation space.
    var isPublic: Bool {
        if bytes.count == 4 { return Self.isPublicIPv4(bytes) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
            return Self.isPublicIPv4(Array(bytes[12..<16]))
        }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) { return false }  // :: and ::1
        if bytes[0] & 0xFE == 0xFC { return false }  // fc00::/7 unique local
        if bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80 { return false }  // fe80::/10 link-local
        if bytes[0] == 0xFF { return false }  // multicast
        if bytes[0] == 0x20 && bytes[1] == 0x01 && bytes[2] == 0x0D && bytes[3] == 0xB8 { return false }  // documentation
        if bytes[0] == 0x00 && bytes[1] == 0x64 && bytes[2] == 0xFF && bytes[3] == 0x9B {
            return Self.isPublicIPv4(Array(bytes[12..<16]))  // NAT64 carries an IPv4 address
        }
        return true
    }

    private static func isPublicIPv4(_ b: [UInt8]) -> Bool {
        switch (b[0], b[1]) {
        case (0, _), (10, _), (127, _): return false
        case (100, 64...127): return false
        case (169, 254): return false
        case (172, 16...31): return false
        case (192, 168): return false
        case (192, 0) where b[2] == 0 || b[2] == 2: return false
        case (198, 18...19): return false
        case (198, 51) where b[2] == 100: return false
        case (203, 0) where b[2] == 113: return false
        case (224...255, _): return false
        default: return true
        }
    }

    var description: String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
            .joined(separator: ":")
    }
}
