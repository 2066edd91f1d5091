import HookLogCore
import HookLogDelivery
import HookLogTestSupport
import Testing

/// The SMTP client against a real SMTP server (aiosmtpd, through ``SMTPSink``), whose own e-mail parser checks what
/// arrives. docs/rules.md §2.5: "the workspace owner is sent an e-mail over SMTP … The notification is itself recorded
/// and retried until the mail server accepts it." — so every way of not being accepted must be a clear error.
@Suite("SMTP client")
struct SMTPClientTests {
    /// Tue, 14 Nov 2023 22:13:20 +0000.
    static let sentAt = Timestamp(seconds: 1_700_000_000)

    /// A client for the sink at `port`, configured by `url`'s query, changed by `adjust`.
    func client(
        port: Int, query: String = "", credentials: String = "", adjust: (inout SMTPConfiguration) -> Void = { _ in }
    ) throws -> SMTPClient {
        var configuration = try SMTPConfiguration(
            url: "smtp://\(credentials)127.0.0.1:\(port)\(query)", sender: "HookLog <hooklog@example.test>")
        configuration.timeout = .seconds(60)
        adjust(&configuration)
        return SMTPClient(configuration: configuration)
    }

    static let message = EmailMessage(
        from: "HookLog <hooklog@example.test>", to: "owner@example.test", subject: "Webhook désactivé ✓",
        textBody: "")

    @Test func aMessageArrivesWithItsEnvelopeHeadersAndBody() async throws {
        let sink = try await SMTPSink()
        let body = [
            "Hello Zoë,",
            ".a line that starts with a dot",
            "..and one with two",
            ".",
            "a tab\tand a trailing space ",
            "= signs =3D stay",
            String(repeating: "a long line ", count: 200) + "ends here",
            "",
            "bye",
        ].joined(separator: "\n") + "\n"
        var message = Self.message
        message.textBody = body

        try await client(port: sink.port).send(message, date: Self.sentAt, messageID: "wh_1.1@hooklog.test")

        let mail = try #require(try await sink.waitForMessages(count: 1).first)
        #expect(mail.mailFrom == "hooklog@example.test")
        #expect(mail.recipients == ["owner@example.test"])
        #expect(mail.header("From") == "HookLog <hooklog@example.test>")
        #expect(mail.header("To") == "owner@example.test")
        #expect(mail.header("Subject") == "Webhook désactivé ✓")
        #expect(mail.header("Date") == "Tue, 14 Nov 2023 22:13:20 +0000")
        #expect(mail.header("Message-ID") == "<wh_1.1@hooklog.test>")
        #expect(mail.header("MIME-Version") == "1.0")
        #expect(mail.body == body)
        #expect(mail.defects == [])
        #expect(!mail.usedTLS)
        // 7-bit clean, and no line near SMTP's 998-byte limit.
        #expect(mail.raw.utf8.allSatisfy { $0 < 128 })
        #expect(mail.raw.split(separator: "\r\n").allSatisfy { $0.utf8.count <= 78 })
    }

    @Test func aRefusedRecipientIsRejectedWith550NamingRCPT() async throws {
        let sink = try await SMTPSink(.init(rejectRecipients: true))
        let error = await #expect(throws: SMTPError.self) {
            try await client(port: sink.port).send(Self.message, date: Self.sentAt, messageID: "wh_1.1@hooklog.test")
        }
        #expect(error == .rejected(command: "RCPT TO", code: 550, message: "5.1.1 no such user: owner@example.test"))
        #expect(error?.description == "RCPT TO rejected: 550 5.1.1 no such user: owner@example.test")
        #expect(try sink.messages().isEmpty)
    }

    @Test func noServerListeningIsAConnectionError() async throws {
        let sink = try await SMTPSink()
        sink.stop()
        let error = await #expect(throws: SMTPError.self) {
            try await client(port: sink.port).send(Self.message, date: Self.sentAt, messageID: "wh_1.1@hooklog.test")
        }
        guard case .connection(let message) = error else {
            Issue.record("expected a connection error, got \(String(describing: error))")
            return
        }
        #expect(message == "connection refused while connecting to 127.0.0.1:\(sink.port)")
        #expect(error?.description == "SMTP connection failed: \(message)")
    }

    @Test func aServerThatNeverAnswersTimesOut() async throws {
        let sink = try await SMTPSink(.init(silent: true))
        let error = await #expect(throws: SMTPError.self) {
            try await client(port: sink.port) { $0.timeout = .milliseconds(300) }
                .send(Self.message, date: Self.sentAt, messageID: "wh_1.1@hooklog.test")
        }
        #expect(error == .timeout(after: .milliseconds(300)))
    }

    @Test func aServerWithoutEHLOIsGreetedWithHELO() async throws {
        let sink = try await SMTPSink(.init(refuseEHLO: true))
        try await client(port: sink.port).send(Self.message, date: Self.sentAt, messageID: "wh_1.1@hooklog.test")
        #expect(try await sink.waitForMessages(count: 1).count == 1)
    }

    @Test func startTLSThenAuthPlainCarryTheMessage() async throws {
        let sink = try await SMTPSink(.init(startTLS: .required, credentials: ("hook@log", "p:ss wörd")))
        let client = try client(port: sink.port, query: "?starttls=required", credentials: "hook%40log:p%3Ass%20w%C3%B6rd@") {
            $0.verifyCertificates = false  // the sink's certificate is self-signed
        }
        try await client.send(Self.message, date: Self.sentAt, messageID: "wh_1.1@hooklog.test")

        let mail = try #require(try await sink.waitForMessages(count: 1).first)
        #expect(mail.usedTLS)
        #expect(mail.authenticatedUser == "hook@log")
    }

    @Test func anUntrustedCertificateFailsTheTLSHandshake() async throws {
        let sink = try await SMTPSink(.init(startTLS: .required))
        let error = await #expect(throws: SMTPError.self) {
            try await client(port: sink.port, query: "?starttls=required")
                .send(Self.message, date: Self.sentAt, messageID: "wh_1.1@hooklog.test")
        }
        #expect(error == .tls("handshake failed during EHLO: certificate verify failed"))
        #expect(try sink.messages().isEmpty)
    }

    @Test func requiredStartTLSFailsWhenTheServerDoesNotOfferIt() async throws {
        let sink = try await SMTPSink()
        let error = await #expect(throws: SMTPError.self) {
            try await client(port: sink.port, query: "?starttls=required")
                .send(Self.message, date: Self.sentAt, messageID: "wh_1.1@hooklog.test")
        }
        #expect(error == .tls("the server does not offer STARTTLS, which the configuration requires (?starttls=required)"))
    }

    @Test func credentialsGoInClearTextOnlyWhenExplicitlyAllowed() async throws {
        let sink = try await SMTPSink(.init(credentials: ("hook", "secret")))

        let error = await #expect(throws: SMTPError.self) {
            try await client(port: sink.port, credentials: "hook:secret@")
                .send(Self.message, date: Self.sentAt, messageID: "wh_1.1@hooklog.test")
        }
        guard case .tls(let message) = error else {
            Issue.record("expected a TLS error, got \(String(describing: error))")
            return
        }
        #expect(message.contains("refusing to send the password in clear text"))
        #expect(try sink.messages().isEmpty)

        try await client(port: sink.port, query: "?starttls=never", credentials: "hook:secret@")
            .send(Self.message, date: Self.sentAt, messageID: "wh_1.2@hooklog.test")
        #expect(try await sink.waitForMessages(count: 1).first?.authenticatedUser == "hook")
    }

    @Test func wrongCredentialsAreRejectedByAUTH() async throws {
        let sink = try await SMTPSink(.init(credentials: ("hook", "secret")))
        let error = await #expect(throws: SMTPError.self) {
            try await client(port: sink.port, query: "?starttls=never", credentials: "hook:guess@")
                .send(Self.message, date: Self.sentAt, messageID: "wh_1.1@hooklog.test")
        }
        guard case .rejected("AUTH PLAIN", 535, _) = error else {
            Issue.record("expected AUTH PLAIN rejected with 535, got \(String(describing: error))")
            return
        }
        #expect(error?.description.contains("guess") == false)
    }

    @Test func anAddressThatCouldSmuggleACommandIsRefusedBeforeConnecting() async throws {
        var message = Self.message
        message.to = "owner@example.test>\r\nRCPT TO:<someone@else.test"
        let error = await #expect(throws: SMTPError.self) {
            try await client(port: 1).send(message, date: Self.sentAt, messageID: "wh_1.1@hooklog.test")
        }
        #expect(error == .invalidAddress(message.to))
    }

    @Test func theDisableNotificationArrivesAsWritten() async throws {
        var state = HookLogState()
        let workspaceID = WorkspaceID("ws_acme")
        let webhookID = WebhookID("wh_2kq9")
        let longURL = "https://hooks.example.com/" + String(repeating: "segment/", count: 250) + "end"
        state.evolve(LoggedRecord(sequence: 1, record: Record(at: Self.sentAt, .workspaceCreated(WorkspaceCreated(
            workspaceID: workspaceID, name: "Acme", plan: .advanced, ownerEmail: "owner@acme.test")))))
        state.evolve(LoggedRecord(sequence: 2, record: Record(at: Self.sentAt, .webhookCreated(WebhookCreated(
            webhookID: webhookID, workspaceID: workspaceID, url: longURL, events: [.contactCreated], secret: "whsec_x")))))
        let failure = AttemptRecord(AttemptFailed(
            deliveryID: DeliveryID("dlv_1"), webhookID: webhookID, number: 2, startedAt: Self.sentAt,
            durationMilliseconds: 5000, failure: .status(503), responseSnippet: "<h1>Service Unavailable</h1>",
            nextAttemptAt: nil))
        let message = DisableNotification.message(
            from: "hooklog@example.test", workspace: try #require(state.workspaces[workspaceID]),
            webhook: try #require(state.webhooks[webhookID]), disabledAt: Self.sentAt,
            reason: "31 failed attempts in 30 minutes (limit 30)", lastErrors: [failure],
            dashboardURL: "https://hooklog.example.com")
        let sink = try await SMTPSink()

        try await client(port: sink.port).send(message, date: Self.sentAt, messageID: "wh_2kq9.1@hooklog.test")

        let mail = try #require(try await sink.waitForMessages(count: 1).first)
        #expect(mail.recipients == ["owner@acme.test"])
        #expect(mail.header("Subject") == message.subject)
        #expect(mail.body == message.textBody)
        #expect(mail.defects == [])
    }
}
