/// Why an e-mail was not handed to the mail server. Its ``description`` is one line for a person, and is what
/// the log's `NotificationFailed` records.
public enum SMTPError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The SMTP settings cannot work (a bad URL, scheme, port or option); the message says which and why.
    case invalidConfiguration(String)
    /// An envelope address the client refuses to put in a command (empty, or with spaces, angle brackets or
    /// control characters, which could smuggle in other commands).
    case invalidAddress(String)
    /// The connection could not be opened, or broke, or the server answered something that is not SMTP.
    case connection(String)
    /// STARTTLS was needed but not possible, or its handshake failed.
    case tls(String)
    /// The server answered `command` with a reply the exchange cannot go on from.
    case rejected(command: String, code: Int, message: String)
    /// The whole exchange, connection included, did not finish within the configured time.
    case timeout(after: Duration)

    public var description: String {
        switch self {
        case .invalidConfiguration(let message): "invalid SMTP configuration: \(message)"
        case .invalidAddress(let address): "invalid e-mail address: '\(address)'"
        case .connection(let message): "SMTP connection failed: \(message)"
        case .tls(let message): "SMTP TLS failed: \(message)"
        case .rejected(let command, let code, let message): "\(command) rejected: \(code) \(message)"
        case .timeout(let duration): "the mail server did not complete the exchange within \(duration)"
        }
    }
}
