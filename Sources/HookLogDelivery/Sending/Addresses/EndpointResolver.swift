#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOPosix

/// Turns an endpoint's host into the addresses to connect to. The sender asks once per attempt, then checks and
/// connects to exactly what it answered, so a name that answers differently the next time (DNS rebinding) cannot
/// slip an unchecked address in. Tests inject one that answers what they script.
public protocol EndpointResolver: Sendable {
    /// Every address `host` resolves to, in the order to try them; throws if it does not resolve.
    func addresses(of host: String) async throws -> [IPAddress]
}

/// The system's resolver: `getaddrinfo` (hosts file, DNS), run on NIO's thread pool since it blocks. An address
/// literal is its own answer, without a lookup.
public struct SystemResolver: EndpointResolver {
    /// A name that did not resolve, with `getaddrinfo`'s reason.
    public struct Failure: Error, CustomStringConvertible {
        /// What `gai_strerror` says, or that the answer held no IPv4 or IPv6 address.
        public let description: String
    }

    /// The system's resolver.
    public init() {}

    public func addresses(of host: String) async throws -> [IPAddress] {
        if let literal = IPAddress(host) { return [literal] }
        return try await NIOThreadPool.singleton.runIfActive { try Self.lookUp(host) }
    }

    /// `getaddrinfo` for stream sockets of either family, in the order it sorts them, each address once.
    private static func lookUp(_ host: String) throws(Failure) -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0, let first = list else {
            throw Failure(description: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(list) }
        var addresses: [IPAddress] = []
        for entry in sequence(first: first, next: { $0.pointee.ai_next }) {
            guard let socketAddress = entry.pointee.ai_addr.map(UnsafeRawPointer.init) else { continue }
            // The address is read at its offset in `sockaddr_in` (4 bytes after family and port) and `sockaddr_in6`
            // (8, after the flow label too), the same on Linux and Darwin: which C module declares those structs'
            // fields depends on the build, and a member import would not always resolve.
            let address: IPAddress? =
                switch Int32(entry.pointee.ai_family) {
                case AF_INET: IPAddress(bytes: UnsafeRawBufferPointer(start: socketAddress + 4, count: 4))
                case AF_INET6: IPAddress(bytes: UnsafeRawBufferPointer(start: socketAddress + 8, count: 16))
                default: nil
                }
            if let address, !addresses.contains(address) { addresses.append(address) }
        }
        guard !addresses.isEmpty else { throw Failure(description: "no IPv4 or IPv6 address") }
        return addresses
    }
}
