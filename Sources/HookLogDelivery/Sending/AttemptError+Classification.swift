import HookLogCore
import NIOCore
import NIOSSL

extension AttemptError {
    /// The class of a failure that the sender's connection, SwiftNIO or NIOSSL threw for an attempt
    /// (docs/rules.md §2.1: "timeout, refused or reset connection, TLS or DNS error"). Resolution and the address
    /// check fail before anything is thrown here (`dns`); anything unrecognised, such as the `IOError` of a refused
    /// or reset connection, or a connection closed before its answer, is a connection error.
    init(classifying error: any Error) {
        switch error {
        case is NIOSSLError, is NIOSSLExtraError, is BoringSSLError:
            self = .tls
        case ChannelError.connectTimeout:
            // The real-time connect timeout, set as a safety net behind the attempt's deadline, ran out first.
            self = .timeout
        default:
            self = .connection
        }
    }
}
