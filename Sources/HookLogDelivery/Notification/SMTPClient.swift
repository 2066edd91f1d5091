public import HookLogCore
public import NIOCore
public import NIOPosix
import NIOSSL

/// Hands e-mails to one mail server over SMTP (RFC 5321), one connection per message.
///
/// The exchange: the 220 greeting, EHLO (HELO if EHLO is refused), STARTTLS and EHLO again when
/// ``SMTPConfiguration/security`` asks for it, AUTH PLAIN when credentials are set, MAIL FROM, RCPT TO, DATA with
/// the dot-stuffed message, QUIT. Credentials are sent only over TLS, unless the security is explicitly `.none`.
public final class SMTPClient: Sendable {
    /// The server and how to talk to it.
    public let configuration: SMTPConfiguration
    private let eventLoopGroup: any EventLoopGroup

    /// A client for the server `configuration` names, connecting from `eventLoopGroup`.
    public init(
        configuration: SMTPConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
    }

    /// Sends `message` and returns once the server has accepted it (its 250 reply to the message data). A failed
    /// QUIT after that does not count: the message is the server's.
    ///
    /// - Parameters:
    ///   - date: the message's Date header.
    ///   - messageID: the Message-ID, globally unique, without angle brackets.
    /// - Throws: ``SMTPError`` (``SMTPError/timeout(after:)`` when the whole exchange takes longer than
    ///   ``SMTPConfiguration/timeout``), or `CancellationError` when the task is cancelled.
    public func send(_ message: EmailMessage, date: Timestamp, messageID: String) async throws {
        let sender = try Self.addressSpec(of: message.from)
        let recipient = try Self.addressSpec(of: message.to)
        let payload = SMTPDataPayload.encode(message.rendered(date: date, messageID: messageID))
        let deadline = ContinuousClock.now.advanced(by: configuration.timeout)
        do {
            let channel = try await connect()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await Task.sleep(until: deadline, clock: .continuous)
                    channel.channel.close(promise: nil)
                }
                try await channel.executeThenClose { inbound, outbound in
                    var conversation = SMTPConversation(inbound: inbound, outbound: outbound)
                    try await exchange(
                        &conversation, sender: sender, recipient: recipient, payload: payload, channel: channel.channel)
                }
                group.cancelAll()
            }
        } catch {
            if Task.isCancelled { throw CancellationError() }
            // At the deadline the connection is closed under the exchange, which then sees it broken.
            let isBroken = switch error as? SMTPError {
            case .connection?, .tls?: true
            default: false
            }
            if isBroken && ContinuousClock.now >= deadline { throw SMTPError.timeout(after: configuration.timeout) }
            throw error
        }
    }

    /// Opens the connection, with a pipeline that decodes replies.
    private func connect() async throws(SMTPError) -> NIOAsyncChannel<SMTPReply, ByteBuffer> {
        do {
            return try await ClientBootstrap(group: eventLoopGroup)
                .connectTimeout(.milliseconds(configuration.timeout.wholeMilliseconds))
                .connect(host: configuration.host, port: configuration.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPReplyDecoder()))
                        return try NIOAsyncChannel<SMTPReply, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch ChannelError.connectTimeout {
            throw .timeout(after: configuration.timeout)
        } catch let error as NIOConnectionError {
            guard let failure = error.connectionErrors.last else {
                throw .connection("the host name \(configuration.host) did not resolve")
            }
            throw .brokenConnection(failure.error, "while connecting to \(configuration.host):\(configuration.port)")
        } catch {
            throw .brokenConnection(error, "while connecting to \(configuration.host):\(configuration.port)")
        }
    }

    /// The dialogue from the greeting to QUIT.
    private func exchange(
        _ conversation: inout SMTPConversation, sender: String, recipient: String, payload: ByteBuffer,
        channel: any Channel
    ) async throws(SMTPError) {
        try await conversation.expectReply(to: "greeting", codes: [220])
        var extensions = try await hello(&conversation)
        var isEncrypted = false
        if try startsTLS(offered: extensions["STARTTLS"] != nil) {
            try await conversation.send("STARTTLS", as: "STARTTLS", expecting: [220])
            try await addTLSHandler(to: channel)
            isEncrypted = true
            extensions = try await hello(&conversation)
        }
        if let username = configuration.username {
            guard isEncrypted || configuration.security == .none else {
                throw .tls("the server does not offer STARTTLS; refusing to send the password in clear text (?starttls=never allows it)")
            }
            let credentials = Base64.encode([0] + Array(username.utf8) + [0] + Array((configuration.password ?? "").utf8))
            try await conversation.send("AUTH PLAIN \(credentials)", as: "AUTH PLAIN", expecting: [235])
        }
        try await conversation.send("MAIL FROM:<\(sender)>", as: "MAIL FROM", expecting: [250])
        try await conversation.send("RCPT TO:<\(recipient)>", as: "RCPT TO", expecting: [250, 251])
        try await conversation.send("DATA", as: "DATA", expecting: [354])
        try await conversation.write(payload, during: "message data")
        try await conversation.expectReply(to: "message data", codes: [250])
        _ = try? await conversation.send("QUIT", as: "QUIT")
    }

    /// Greets the server with EHLO, or with HELO when it refuses EHLO; returns the extensions it announced.
    private func hello(_ conversation: inout SMTPConversation) async throws(SMTPError) -> [String: [String]] {
        let reply = try await conversation.send("EHLO \(configuration.heloName)", as: "EHLO")
        switch reply.code {
        case 250:
            return reply.extensions
        case 500..<600:
            try await conversation.send("HELO \(configuration.heloName)", as: "HELO", expecting: [250])
            return [:]
        default:
            throw .rejected(command: "EHLO", code: reply.code, message: reply.message)
        }
    }

    /// Whether to issue STARTTLS, given whether the server offers it.
    private func startsTLS(offered: Bool) throws(SMTPError) -> Bool {
        switch configuration.security {
        case .none:
            return false
        case .startTLSIfAvailable:
            return offered
        case .startTLSRequired:
            guard offered else {
                throw .tls("the server does not offer STARTTLS, which the configuration requires (?starttls=required)")
            }
            return true
        }
    }

    /// Puts TLS in front of the reply decoder, once the server has agreed to STARTTLS. The handshake runs
    /// before the next command is sent.
    private func addTLSHandler(to channel: any Channel) async throws(SMTPError) {
        var tlsConfiguration = TLSConfiguration.makeClientConfiguration()
        if !configuration.verifyCertificates { tlsConfiguration.certificateVerification = .none }
        // Server Name Indication takes host names only.
        let isIPAddress = (try? SocketAddress(ipAddress: configuration.host, port: 0)) != nil
        let serverHostname = isIPAddress ? nil : configuration.host
        do {
            let context = try NIOSSLContext(configuration: tlsConfiguration)
            try await channel.eventLoop.submit {
                let handler = try NIOSSLClientHandler(context: context, serverHostname: serverHostname)
                try channel.pipeline.syncOperations.addHandler(handler, position: .first)
            }.get()
        } catch {
            throw .tls("cannot start TLS: \(error)")
        }
    }

    /// The address inside `<…>` of a From or To value (or the whole trimmed value), checked to be safe in a
    /// MAIL FROM or RCPT TO command.
    private static func addressSpec(of value: String) throws(SMTPError) -> String {
        var address = Substring(value)
        if let open = value.lastIndex(of: "<"), let close = value.lastIndex(of: ">"), open < close {
            address = value[value.index(after: open)..<close]
        }
        address = address.trimmingPrefix(while: \.isWhitespace)
        while address.last?.isWhitespace == true { address.removeLast() }
        let isSafe = !address.isEmpty && address.unicodeScalars.allSatisfy {
            $0.isASCII && $0.value > 32 && $0.value < 127 && $0 != "<" && $0 != ">"
        }
        guard isSafe else { throw .invalidAddress(value) }
        return String(address)
    }
}
