public import HookLogCore

/// A plain-text e-mail to one recipient.
public struct EmailMessage: Sendable, Equatable {
    /// The From header, and the envelope sender (its address inside `<…>`, if it has a display name).
    public var from: String
    /// The To header, and the envelope recipient.
    public var to: String
    /// The subject, any Unicode.
    public var subject: String
    /// The body, any Unicode, lines ended by LF or CRLF.
    public var textBody: String

    /// A message from `from` to `to`.
    public init(from: String, to: String, subject: String, textBody: String) {
        self.from = from
        self.to = to
        self.subject = subject
        self.textBody = textBody
    }

    /// The message as RFC 5322 text with CRLF line ends, ready for SMTP's DATA (dot-stuffing is the SMTP
    /// client's job).
    ///
    /// The body is UTF-8 in quoted-printable: 7-bit clean, so any server takes it without 8BITMIME, and no line
    /// is longer than 76 characters. A non-ASCII subject is written as RFC 2047 encoded words.
    ///
    /// - Parameters:
    ///   - date: when the message is sent, for the Date header (in UTC).
    ///   - messageID: a globally unique id without angle brackets, like `wh_123.2@hooklog.example.com`.
    public func rendered(date: Timestamp, messageID: String) -> String {
        "Date: \(date.rfc5322)\r\n"
            + HeaderField.verbatim("From", from)
            + HeaderField.verbatim("To", to)
            + HeaderField.unstructured("Subject", subject)
            + HeaderField.verbatim("Message-ID", "<\(messageID)>")
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "Content-Transfer-Encoding: quoted-printable\r\n"
            + "\r\n"
            + QuotedPrintable.encode(textBody)
    }
}
