import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOSSL

extension SMTPError {
    /// A failure of the connection under the exchange as an ``SMTPError`` that says, in a few words, what broke:
    /// TLS failures as ``tls(_:)``, others as ``connection(_:)``; `context` says when (`during RCPT TO`).
    static func brokenConnection(_ error: any Error, _ context: String) -> SMTPError {
        switch error {
        case let error as SMTPError:
            error
        case NIOSSLError.handshakeFailed(.sslError(let errors)) where !errors.isEmpty:
            .tls("handshake failed \(context): \(errors.map(reason).joined(separator: ", "))")
        case let error as NIOSSLError:
            .tls("\(error) \(context)")
        case let error as BoringSSLError:
            .tls("\(error) \(context)")
        case ChannelError.ioOnClosedChannel, ChannelError.alreadyClosed, ChannelError.eof:
            .connection("the connection was closed \(context)")
        case let error as IOError:
            .connection("\(String(cString: strerror(error.errnoCode)).lowercased()) \(context)")
        default:
            .connection("\(error) \(context)")
        }
    }

    /// BoringSSL's reason text, readable: "error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED
    /// at handshake.cc:320" becomes "certificate verify failed".
    private static func reason(_ error: BoringSSLInternalError) -> String {
        let text = error.description
        let withoutLocation = text.range(of: " at ").map { text[..<$0.lowerBound] } ?? text[...]
        let code = withoutLocation.split(separator: ":").last ?? withoutLocation
        return code.replacing("_", with: " ").lowercased()
    }
}
