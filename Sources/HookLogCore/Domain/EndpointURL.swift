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
    ///
    /// Every attempt parses its endpoint's URL, so a URL of printable ASCII that is valid is read byte by byte
    /// (``init(printableASCII:)``); any other text, and every invalid one, goes through the checks below, which read
    /// it character by character and say what is wrong.
    public init(_ text: String) throws(DecisionError) {
        if let parsed = Self(printableASCII: text) {
            self = parsed
            return
        }
        try self.init(checking: text)
    }

    /// Parses `text` character by character, or throws `invalidField` saying what is wrong with it.
    init(checking text: String) throws(DecisionError) {
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

    /// The parts of `text` when it is a valid endpoint URL made of printable ASCII only (no white space, no control
    /// character), read on its UTF-8 bytes, where each character is one byte; nil for any other text, valid or not,
    /// which ``init(checking:)`` then reads. Where it gives parts, they are those ``init(checking:)`` gives.
    init?(printableASCII text: String) {
        var text = text
        let parts: (host: String, usesTLS: Bool, port: Int, authority: String, requestTarget: String)? = text.withUTF8 { bytes in
            guard bytes.count <= Self.maxBytes, bytes.allSatisfy({ (0x21...0x7E).contains($0) }) else { return nil }
            let slash = UInt8(ascii: "/"), colon = UInt8(ascii: ":")
            guard let separator = bytes.indices.first(where: {
                $0 + 2 < bytes.count && bytes[$0] == colon && bytes[$0 + 1] == slash && bytes[$0 + 2] == slash
            }) else { return nil }
            let usesTLS: Bool
            switch String(decoding: bytes[..<separator], as: UTF8.self).lowercased() {
            case "http": usesTLS = false
            case "https": usesTLS = true
            default: return nil
            }
            let rest = bytes[(separator + 3)...]
            let authorityEnd = rest.firstIndex { $0 == slash || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? rest.endIndex
            let authority = rest[..<authorityEnd]
            guard !authority.contains(UInt8(ascii: "@")) else { return nil }
            let bracketed = authority.first == UInt8(ascii: "[")
            let hostStart = bracketed ? authority.startIndex + 1 : authority.startIndex
            let hostEnd = authority[hostStart...].firstIndex(of: bracketed ? UInt8(ascii: "]") : colon) ?? authority.endIndex
            guard hostEnd > hostStart else { return nil }
            let afterHost = authority[hostEnd...].drop { $0 == UInt8(ascii: "]") }
            let port: Int
            if afterHost.isEmpty {
                port = usesTLS ? 443 : 80
            } else {
                let digits = afterHost.dropFirst()
                guard afterHost.first == colon, !digits.isEmpty, digits.count <= 5,
                      digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
                else { return nil }
                let given = digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
                guard (1...65535).contains(given) else { return nil }
                port = given
            }
            let afterAuthority = rest[authorityEnd...]
            let pathAndQuery = afterAuthority[..<(afterAuthority.firstIndex(of: UInt8(ascii: "#")) ?? afterAuthority.endIndex)]
            let target = String(decoding: pathAndQuery, as: UTF8.self)
            return (
                String(decoding: bytes[hostStart..<hostEnd], as: UTF8.self), usesTLS, port,
                String(decoding: authority, as: UTF8.self), pathAndQuery.first == slash ? target : "/" + target
            )
        }
        guard let parts else { return nil }
        self.text = text
        host = parts.host
        usesTLS = parts.usesTLS
        self.port = parts.port
        authority = parts.authority
        requestTarget = parts.requestTarget
    }
}
