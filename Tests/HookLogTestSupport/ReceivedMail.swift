/// A message the ``SMTPSink`` received, as the sink's Python e-mail parser read it (an implementation independent
/// of HookLog's): the envelope, the decoded headers and body, and the raw text.
public struct ReceivedMail: Decodable, Sendable {
    /// The envelope sender, from MAIL FROM.
    public let mailFrom: String
    /// The envelope recipients, from RCPT TO.
    public let recipients: [String]
    /// Whether the session had switched to TLS with STARTTLS.
    public let usedTLS: Bool
    /// The user that authenticated with AUTH, if any.
    public let authenticatedUser: String?
    /// The header fields by lower-cased name, unfolded and decoded from RFC 2047 encoded words.
    public let headers: [String: String]
    /// The text body, decoded from its transfer encoding and charset, with LF line ends.
    public let body: String
    /// The problems the parser found in the message's syntax; empty for a well-formed message.
    public let defects: [String]
    /// The message as it arrived, dot-stuffing undone.
    public internal(set) var raw: String = ""

    private enum CodingKeys: String, CodingKey {
        case mailFrom = "mail_from"
        case recipients = "rcpt_tos"
        case usedTLS = "tls"
        case authenticatedUser = "auth_user"
        case headers, body, defects
    }

    /// The value of the header field `name`, in any case.
    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}
