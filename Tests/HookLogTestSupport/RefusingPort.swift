#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A loopback port held by a socket that is bound and never listens: a connection to it is refused, and no other
/// socket can take the port while it is held. A port merely bound and released can be handed at once to a server of
/// a test running beside, which then answers where the test expected a refusal. The port is released by ``close()``
/// (to let a server of the test's own take it) or when the value goes away.
public final class RefusingPort: Sendable {
    /// The port on 127.0.0.1.
    public let port: Int
    /// The socket, until it is closed.
    private let descriptor: Mutex<Int32?>

    /// Binds a socket to a free port of 127.0.0.1.
    public init() {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        precondition(descriptor >= 0, "cannot open a socket: errno \(errno)")
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(descriptor, address, length) == 0 && getsockname(descriptor, address, &length) == 0
            }
        }
        precondition(bound, "cannot bind a loopback port: errno \(errno)")
        self.descriptor = Mutex(descriptor)
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// Releases the port; once.
    /// Gives the bound socket away, still bound: the caller owns the descriptor from then on, and this port holds
    /// nothing. A server that listens on it takes the port with no moment when another socket could.
    public func handOver() -> Int32? {
        descriptor.withLock { descriptor in
            defer { descriptor = nil }
            return descriptor
        }
    }

    public func close() {
        guard let open = descriptor.withLock({ descriptor in defer { descriptor = nil }; return descriptor }) else { return }
        _ = Glibc.close(open)
    }

    deinit {
        close()
    }
}
