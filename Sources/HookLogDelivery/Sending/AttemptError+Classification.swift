import AsyncHTTPClient
import HookLogCore
import NIOPosix
import NIOSSL

extension AttemptError {
    /// The class of a failure that AsyncHTTPClient, SwiftNIO or NIOSSL threw for an attempt (docs/rules.md §2.1:
    /// "timeout, refused or reset connection, TLS or DNS error"). Anything unrecognised, such as the `IOError` of
    /// a refused or reset connection, is a connection error.
    init(classifying error: any Error) {
        switch error {
        case let error as HTTPClientError:
            self = Self.classify(error)
        case let error as NIOConnectionError:
            // Happy Eyeballs: a DNS error counts only when no address was left to try; otherwise the addresses that
            // were tried refused the connection.
            let resolutionFailed = error.dnsAError != nil || error.dnsAAAAError != nil
            self = error.connectionErrors.isEmpty && resolutionFailed ? .dns : .connection
        case is NIOSSLError, is NIOSSLExtraError, is BoringSSLError:
            self = .tls
        default:
            self = .connection
        }
    }

    private static func classify(_ error: HTTPClientError) -> AttemptError {
        switch error {
        // AsyncHTTPClient's own clocks: the real-time deadline and connect timeout set as a safety net behind the
        // attempt's deadline, which ran out first on the wall clock.
        case .deadlineExceeded, .connectTimeout, .tlsHandshakeTimeout, .readTimeout, .writeTimeout,
            .getConnectionFromPoolTimeout:
            .timeout
        // .remoteConnectionClosed (closed before or during the answer), .cancelled, malformed answers, and URL
        // errors (the URL was checked when the webhook was registered).
        default:
            .connection
        }
    }
}
