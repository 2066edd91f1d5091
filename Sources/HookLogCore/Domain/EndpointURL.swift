/// An endpoint URL as a webhook may have it (docs/rules.md §1): http or https, a host, no credentials, no white
/// space, at most 2,048 bytes. The one parser of endpoint URLs: the core's validation and the sender's address check
/// both read the host from here. (Whether the host is a private address is the server's check, at creation and at
/// connect time.)
public struct EndpointURL: Hashable, Sendable {
    /// The longest endpoint URL accepted, in bytes.
    public static let maxBytes = 2048

    /// The URL as given.
    public let text: String
    /// The host, without the brackets around an IPv6 literal.
    public let host: String
    /// Whether the scheme is https.
    public let usesTLS: Bool
    /// The port given after the host, else the scheme's (80 or 443).
    public let port: Int
    /// The host and port as written, for the `Host` header.
    public let authority: String
    /// The path and query to request: `/` when the URL has no path; the fragment left out.
    public let requestTarget: String

    /// Parses `text`, or throws `invalidField` saying what is wrong with it.
    public init(_ text: String) throws(DecisionError) {
        guard text.utf8.count <= Self.maxBytes else {
            throw DecisionError(.invalidField, "url is \(text.utf8.count) bytes long; at most \(Self.maxBytes) are allowed")
        }
        let parts = text.split(separator: "://", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, ["http", "https"].contains(parts[0].lowercased()) else {
            throw DecisionError(.invalidField, "url must start with http:// or https://, got '\(text)'")
        }
        guard !text.contains(where: { $0.isWhitespace || $0.isNewline }) else {
            throw DecisionError(.invalidField, "url must not contain white space")
        }
        let authority = parts[1].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.contains("@") else {
            throw DecisionError(.invalidField, "url must not carry credentials (user:password@)")
        }
        let host = authority.hasPrefix("[") ? authority.dropFirst().prefix { $0 != "]" } : authority.prefix { $0 != ":" }
        guard !host.isEmpty else {
            throw DecisionError(.invalidField, "url has no host: '\(text)'")
        }
        let afterHost = authority[host.endIndex...].drop { $0 == "]" }
        let usesTLS = parts[0].lowercased() == "https"
        let port: Int
        if afterHost.isEmpty {
            port = usesTLS ? 443 : 80
        } else if afterHost.first == ":", afterHost.dropFirst().allSatisfy({ ("0"..."9").contains($0) }),
            let given = Int(afterHost.dropFirst()), (1...65535).contains(given)
        {
            port = given
        } else {
            throw DecisionError(.invalidField, "url must have a port from 1 to 65535 after its host, if any: '\(text)'")
        }
        let pathAndQuery = parts[1][authority.endIndex...].prefix { $0 != "#" }
        self.text = text
        self.host = String(host)
        self.usesTLS = usesTLS
        self.port = port
        self.authority = String(authority)
        self.requestTarget = pathAndQuery.hasPrefix("/") ? String(pathAndQuery) : "/" + pathAndQuery
    }
}
