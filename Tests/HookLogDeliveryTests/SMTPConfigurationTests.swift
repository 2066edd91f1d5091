import HookLogDelivery
import Testing

/// The SMTP URL of docs/rules.md §4 ("SMTP URL (`smtp://host:port`) and sender"), extended with credentials and a
/// STARTTLS policy: `smtp://[user:password@]host[:port][?starttls=required|optional|never]`.
@Suite("SMTP configuration")
struct SMTPConfigurationTests {
    static let sender = "hooklog@example.test"

    @Test func aBareHostUsesPort25AndOptionalSTARTTLS() throws {
        let configuration = try SMTPConfiguration(url: "smtp://mail.example.com", sender: Self.sender)
        #expect(configuration == SMTPConfiguration(host: "mail.example.com", sender: Self.sender))
        #expect(configuration.port == 25)
        #expect(configuration.security == .startTLSIfAvailable)
        #expect(configuration.username == nil)
        #expect(configuration.heloName == "hooklog.localhost")
        #expect(configuration.verifyCertificates)
    }

    @Test(arguments: [
        ("smtp://mail.example.com:587?starttls=required", "mail.example.com", 587, SMTPConfiguration.Security.startTLSRequired),
        ("SMTP://localhost:1025/", "localhost", 1025, .startTLSIfAvailable),
        ("smtp://[::1]:2525?starttls=never", "::1", 2525, .none),
        ("smtp://10.0.0.7?starttls=optional", "10.0.0.7", 25, .startTLSIfAvailable),
    ])
    func hostPortAndSecurity(url: String, host: String, port: Int, security: SMTPConfiguration.Security) throws {
        let configuration = try SMTPConfiguration(url: url, sender: Self.sender)
        #expect(configuration.host == host)
        #expect(configuration.port == port)
        #expect(configuration.security == security)
    }

    @Test func credentialsArePercentDecodedAndMaskedInTheDescription() throws {
        let configuration = try SMTPConfiguration(
            url: "smtp://bot%40example.com:p%40ss%3Aw%C3%B6rd@mail.example.com:587", sender: Self.sender)
        #expect(configuration.username == "bot@example.com")
        #expect(configuration.password == "p@ss:wörd")
        #expect(configuration.host == "mail.example.com")
        #expect(!configuration.description.contains("ss"))
        #expect(configuration.description.hasPrefix("smtp://bot@example.com:***@mail.example.com:587"))
    }

    @Test(arguments: [
        ("http://mail.example.com", "the scheme 'http' is not supported"),
        ("smtps://mail.example.com", "smtps:// (implicit TLS, port 465) is not supported"),
        ("mail.example.com:25", "expected smtp://host[:port]"),
        ("smtp://", "the host is missing"),
        ("smtp://:25", "the host is missing"),
        ("smtp://mail.example.com:0", "the port '0' is not a number from 1 to 65535"),
        ("smtp://mail.example.com:99999", "the port '99999' is not a number from 1 to 65535"),
        ("smtp://mail.example.com:smtp", "the port 'smtp' is not a number from 1 to 65535"),
        ("smtp://mail.example.com:465", "port 465 expects implicit TLS"),
        ("smtp://mail.example.com?starttls=sometimes", "starttls must be required, optional or never"),
        ("smtp://mail.example.com?tls=on", "the parameter 'tls' is unknown"),
        ("smtp://bot@mail.example.com", "expected user:password before '@'"),
        ("smtp://b%zzot:pw@mail.example.com", "the user name is empty or badly percent-encoded"),
        ("smtp://mail.example.com/inbox", "a path is not allowed"),
        ("smtp://[::1:25", "an IPv6 address lacks its ']'"),
    ])
    func aBadURLSaysWhatIsWrong(url: String, problem: String) {
        let error = #expect(throws: SMTPError.self) { try SMTPConfiguration(url: url, sender: Self.sender) }
        guard case .invalidConfiguration(let message) = error else {
            Issue.record("expected invalidConfiguration, got \(String(describing: error))")
            return
        }
        #expect(message.contains(problem))
        #expect(message.contains(url))
    }
}
