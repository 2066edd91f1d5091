import NIOCore

/// Decodes the bytes an SMTP server sends into whole replies, joining the lines of a multi-line reply
/// (`250-first`, `250-second`, `250 last`). Lines end with CRLF, or leniently with LF.
struct SMTPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPReply

    /// The longest reply line accepted; RFC 5321 §4.5.3.1.5 allows 512 bytes, servers sometimes send more.
    private static let maximumLineLength = 4096

    /// The lines of a multi-line reply read so far, and their code.
    private var pending: SMTPReply?

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        let view = buffer.readableBytesView
        guard let newline = view.firstIndex(of: UInt8(ascii: "\n")) else {
            guard buffer.readableBytes <= Self.maximumLineLength else {
                throw SMTPError.connection("the mail server sent a reply line longer than \(Self.maximumLineLength) bytes")
            }
            return .needMoreData
        }
        var line = Array(view[view.startIndex..<newline])
        buffer.moveReaderIndex(forwardBy: newline - view.startIndex + 1)
        if line.last == UInt8(ascii: "\r") { line.removeLast() }

        let text = String(decoding: line, as: UTF8.self)
        let digits = line.prefix(3)
        guard digits.count == 3, digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              line.count == 3 || line[3] == UInt8(ascii: " ") || line[3] == UInt8(ascii: "-"),
              let code = Int(String(decoding: digits, as: UTF8.self))
        else {
            throw SMTPError.connection("the mail server sent a line that is not an SMTP reply: '\(text.prefix(100))'")
        }
        guard pending == nil || pending?.code == code else {
            throw SMTPError.connection("the mail server changed the reply code within a multi-line reply: '\(text.prefix(100))'")
        }
        let lineText = line.count > 4 ? String(decoding: line[4...], as: UTF8.self) : ""
        var reply = pending ?? SMTPReply(code: code, lines: [])
        reply.lines.append(lineText)
        if line.count > 3 && line[3] == UInt8(ascii: "-") {
            pending = reply
        } else {
            pending = nil
            context.fireChannelRead(wrapInboundOut(reply))
        }
        return .continue
    }
}
