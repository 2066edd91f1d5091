import NIOCore

/// One SMTP dialogue over an open connection: it writes commands, reads their replies, and turns broken
/// connections and unexpected replies into ``SMTPError``s that name the command.
struct SMTPConversation {
    private var replies: NIOAsyncChannelInboundStream<SMTPReply>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

    /// A dialogue over a connection's two directions.
    init(inbound: NIOAsyncChannelInboundStream<SMTPReply>, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) {
        self.replies = inbound.makeAsyncIterator()
        self.outbound = outbound
    }

    /// Reads the next reply, which answers `command`.
    mutating func reply(to command: String) async throws(SMTPError) -> SMTPReply {
        let reply: SMTPReply?
        do {
            reply = try await replies.next()
        } catch {
            throw .brokenConnection(error, "during \(command)")
        }
        guard let reply else {
            throw .connection("the mail server closed the connection before answering \(command)")
        }
        return reply
    }

    /// Reads the next reply, which answers `command`, and requires one of `codes`.
    @discardableResult
    mutating func expectReply(to command: String, codes: Set<Int>) async throws(SMTPError) -> SMTPReply {
        let reply = try await reply(to: command)
        guard codes.contains(reply.code) else {
            throw .rejected(command: command, code: reply.code, message: reply.message)
        }
        return reply
    }

    /// Sends `line` (CRLF is added) and reads its reply; errors call it `command`, so that a line holding
    /// credentials is never quoted.
    mutating func send(_ line: String, as command: String) async throws(SMTPError) -> SMTPReply {
        try await write(ByteBuffer(string: line + "\r\n"), during: command)
        return try await reply(to: command)
    }

    /// Sends `line` (CRLF is added), reads its reply and requires one of `codes`.
    @discardableResult
    mutating func send(_ line: String, as command: String, expecting codes: Set<Int>) async throws(SMTPError) -> SMTPReply {
        try await write(ByteBuffer(string: line + "\r\n"), during: command)
        return try await expectReply(to: command, codes: codes)
    }

    /// Writes raw bytes, such as the message after DATA.
    mutating func write(_ bytes: ByteBuffer, during command: String) async throws(SMTPError) {
        do {
            try await outbound.write(bytes)
        } catch {
            // A write fails because the connection closed; why it closed (a failed TLS handshake, say) is an
            // error on the inbound side, when there is one.
            do {
                _ = try await replies.next()
            } catch let cause {
                throw .brokenConnection(cause, "during \(command)")
            }
            throw .brokenConnection(error, "during \(command)")
        }
    }
}
