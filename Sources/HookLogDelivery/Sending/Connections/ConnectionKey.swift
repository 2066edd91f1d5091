/// What a kept-alive connection may be reused for: the same checked address and port, and the same host name and
/// scheme (the `Host` header and, for https, the name the certificate was verified against). A connection opened
/// to one checked address is never handed to an attempt whose resolution answered another.
struct ConnectionKey: Hashable, Sendable {
    /// The checked address connected to.
    let address: IPAddress
    /// The port connected to.
    let port: Int
    /// The URL's host name, as the request names it.
    let host: String
    /// Whether the connection speaks TLS.
    let usesTLS: Bool
}
