import NIOCore

/// The bytes that follow SMTP's DATA command (RFC 5321 §4.5.2): the message with every line ended by CRLF,
/// a line that starts with "." given a second one (dot-stuffing), and the terminating `.` line.
enum SMTPDataPayload {
    /// `message` transparent for DATA: lone LFs and CRs become CRLF, leading dots are doubled, a missing final
    /// line end is added, and `.` CRLF ends it.
    static func encode(_ message: String) -> ByteBuffer {
        var output = ByteBuffer()
        output.reserveCapacity(message.utf8.count + message.utf8.count / 32 + 5)
        var atLineStart = true
        var afterCR = false
        for byte in message.utf8 {
            if afterCR {
                output.writeInteger(UInt8(ascii: "\n"))
                afterCR = false
                atLineStart = true
                if byte == UInt8(ascii: "\n") { continue }
            }
            switch byte {
            case UInt8(ascii: "\r"):
                output.writeInteger(byte)
                afterCR = true
            case UInt8(ascii: "\n"):
                output.writeString("\r\n")
                atLineStart = true
            default:
                if atLineStart && byte == UInt8(ascii: ".") { output.writeInteger(byte) }
                output.writeInteger(byte)
                atLineStart = false
            }
        }
        if afterCR {
            output.writeInteger(UInt8(ascii: "\n"))
        } else if !atLineStart {
            output.writeString("\r\n")
        }
        output.writeString(".\r\n")
        return output
    }
}
