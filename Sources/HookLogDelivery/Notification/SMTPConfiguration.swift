import Foundation

/// Where and how HookLog hands its e-mails to a mail server.
///
/// Only plain SMTP with optional STARTTLS is spoken (ports 25 and 587, or any other). Port 465 expects TLS from the
/// first byte ("implicit TLS", SMTPS), which this client does not support: a URL naming it is refused.
public struct SMTPConfiguration: Sendable, Equatable, CustomStringConvertible {
    /// Whether and when the connection switches to TLS with STARTTLS (RFC 3207).
    public enum Security: String, Sendable, Equatable {
        /// Never use STARTTLS, and send credentials, if any, in clear text (`starttls=never`).
        case none = "never"
        /// Use STARTTLS when the server offers it, else go on in clear text but without credentials
        /// (`starttls=optional`, the default).
        case startTLSIfAvailable = "optional"
        /// Use STARTTLS, and fail when the server does not offer it (`starttls=required`).
        case startTLSRequired = "required"
    }

    /// The mail server's host name or IP address (without brackets for IPv6).
    public var host: String
    /// The mail server's port.
    public var port: Int
    /// The From address, as the header shows it (`HookLog <hooklog@example.com>` or `hooklog@example.com`).
    public var sender: String
    /// The user name for AUTH PLAIN; no AUTH when nil.
    public var username: String?
    /// The password for AUTH PLAIN.
    public var password: String?
    /// Whether and when to use STARTTLS.
    public var security: Security
    /// The name the client gives itself in EHLO or HELO.
    public var heloName: String
    /// Whether the server's certificate must chain to a system trust root and match ``host`` after STARTTLS.
    /// Turn off only for a server with a self-signed certificate that you trust by other means.
    public var verifyCertificates: Bool
    /// The limit on one whole exchange, from connecting to QUIT.
    public var timeout: Duration

    /// Settings given field by field.
    public init(
        host: String, port: Int = 25, sender: String, username: String? = nil, password: String? = nil,
        security: Security = .startTLSIfAvailable, heloName: String = "hooklog.localhost",
        verifyCertificates: Bool = true, timeout: Duration = .seconds(30)
    ) {
        self.host = host
        self.port = port
        self.sender = sender
        self.username = username
        self.password = password
        self.security = security
        self.heloName = heloName
        self.verifyCertificates = verifyCertificates
        self.timeout = timeout
    }

    /// Settings from a URL, `smtp://[user:password@]host[:port][?starttls=required|optional|never]`, with the
    /// user and password percent-encoded (`%40` for `@`). The port defaults to 25 and STARTTLS to `optional`.
    ///
    /// - Throws: ``SMTPError/invalidConfiguration(_:)`` saying what is wrong with the URL.
    public init(url: String, sender: String) throws(SMTPError) {
        func invalid(_ message: String) -> SMTPError { .invalidConfiguration("\(message) in SMTP URL '\(url)'") }

        guard let schemeEnd = url.range(of: "://") else {
            throw invalid("expected smtp://host[:port]")
        }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "smtp" else {
            throw scheme == "smtps"
                ? invalid("smtps:// (implicit TLS, port 465) is not supported; use smtp://host:587?starttls=required")
                : invalid("the scheme '\(scheme)' is not supported; expected smtp://")
        }
        var rest = url[schemeEnd.upperBound...]
        var query: Substring = ""
        if let questionMark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: questionMark)...]
            rest = rest[..<questionMark]
        }
        if let slash = rest.firstIndex(of: "/") {
            guard rest[slash...] == "/" else { throw invalid("a path is not allowed") }
            rest = rest[..<slash]
        }

        var username: String?
        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            let user = userInfo.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard let decodedUser = Self.percentDecoded(user[0]), !decodedUser.isEmpty else {
                throw invalid("the user name is empty or badly percent-encoded")
            }
            guard user.count == 2, let decodedPassword = Self.percentDecoded(user[1]) else {
                throw invalid("expected user:password before '@', percent-encoded")
            }
            username = decodedUser
            password = decodedPassword
        }

        var host: Substring
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw invalid("an IPv6 address lacks its ']'") }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw invalid("expected ':port' after the IPv6 address") }
                portText = after.dropFirst()
            }
        } else {
            let parts = rest.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            host = parts[0]
            portText = parts.count == 2 ? parts[1] : nil
        }
        guard !host.isEmpty else { throw invalid("the host is missing") }
        var port = 25
        if let portText {
            guard let number = Int(portText), (1...65_535).contains(number) else {
                throw invalid("the port '\(portText)' is not a number from 1 to 65535")
            }
            guard number != 465 else {
                throw invalid("port 465 expects implicit TLS (SMTPS), which is not supported; use port 587 with ?starttls=required")
            }
            port = number
        }

        var security = Security.startTLSIfAvailable
        for parameter in query.split(separator: "&") {
            let pair = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair[0] == "starttls" else {
                throw invalid("the parameter '\(pair[0])' is unknown; the only one is starttls=required|optional|never")
            }
            guard pair.count == 2, let value = Security(rawValue: String(pair[1])) else {
                throw invalid("starttls must be required, optional or never")
            }
            security = value
        }

        self.init(
            host: String(host), port: port, sender: sender, username: username, password: password, security: security)
    }

    /// The settings as a URL with the password masked, for logs.
    public var description: String {
        let credentials = username.map { "\($0):***@" } ?? ""
        let bracketedHost = host.contains(":") ? "[\(host)]" : host
        return "smtp://\(credentials)\(bracketedHost):\(port)?starttls=\(security.rawValue) (from \(sender))"
    }

    /// `text` with its `%XX` escapes decoded as UTF-8; nil for a malformed escape or invalid UTF-8.
    private static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var index = text.utf8.startIndex
        while index < text.utf8.endIndex {
            let byte = text.utf8[index]
            if byte == UInt8(ascii: "%") {
                let hexStart = text.utf8.index(after: index)
                guard let hexEnd = text.utf8.index(hexStart, offsetBy: 2, limitedBy: text.utf8.endIndex) else {
                    return nil
                }
                let hex = String(decoding: text.utf8[hexStart..<hexEnd], as: UTF8.self)
                guard hex.allSatisfy(\.isHexDigit), let value = UInt8(hex, radix: 16) else { return nil }
                bytes.append(value)
                index = hexEnd
            } else {
                bytes.append(byte)
                index = text.utf8.index(after: index)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
