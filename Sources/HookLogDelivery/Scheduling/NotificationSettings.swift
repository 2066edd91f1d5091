/// Where disable e-mails go out from, and the address owners are told to re-enable webhooks at.
public struct NotificationSettings: Sendable {
    /// The mail server and sender; nil when none is configured (every try then fails and is recorded).
    public var smtp: SMTPConfiguration?
    /// The server's public base URL, for the dashboard links in e-mails (`https://hooks.example.com`).
    public var publicURL: String

    /// Settings with the given mail server and public URL.
    public init(smtp: SMTPConfiguration?, publicURL: String) {
        self.smtp = smtp
        self.publicURL = publicURL
    }
}
