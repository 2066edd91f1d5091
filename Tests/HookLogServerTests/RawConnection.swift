import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP connection to the server on loopback, for what an HTTP client would never send: half a request line,
/// then nothing. It tells what the server sent and when it hung up.
struct RawConnection: Sendable {
    private let socket: Int32

    /// Connects to `port` on 127.0.0.1; reads give up after `readTimeout` seconds.
    init(port: Int, readTimeout: Int = 10) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw TestFailure("no socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            Glibc.close(socket)
            throw TestFailure("cannot connect to port \(port): errno \(errno)")
        }
        var timeout = timeval(tv_sec: readTimeout, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Sends `text` as it is.
    func send(_ text: String) {
        _ = Array(text.utf8).withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Reads, on a thread of its own, until the server closes the connection: what it sent, and when it closed
    /// (nil when the read timeout passed first).
    func readUntilClosed() async -> (text: String, closedAt: ContinuousClock.Instant?) {
        let socket = socket
        return await withCheckedContinuation { continuation in
            Thread {
                var received: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 4096)
                while true {
                    let count = buffer.withUnsafeMutableBytes { Glibc.recv(socket, $0.baseAddress, $0.count, 0) }
                    if count > 0 {
                        received += buffer[..<count]
                        continue
                    }
                    let closedAt: ContinuousClock.Instant? = count == 0 || errno == ECONNRESET ? .now : nil
                    continuation.resume(returning: (String(decoding: received, as: UTF8.self), closedAt))
                    return
                }
            }.start()
        }
    }

    /// Closes the connection.
    func close() {
        Glibc.close(socket)
    }
}
