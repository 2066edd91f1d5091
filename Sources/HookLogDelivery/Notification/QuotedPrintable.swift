/// The quoted-printable content transfer encoding (RFC 2045 §6.7) for text bodies.
///
/// It keeps a body 7-bit clean, so any mail server relays it whether or not it offers 8BITMIME, and its soft
/// line breaks keep every line within 76 characters, far below SMTP's 998-byte limit, however long a URL or a
/// response snippet is. ASCII text stays readable as it is.
enum QuotedPrintable {
    /// The longest encoded line, soft-break `=` included.
    private static let maximumLineLength = 76
    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// `text` encoded as UTF-8 quoted-printable, with CRLF line ends (any of CRLF, LF or CR ends a line of
    /// `text`), ending with CRLF unless empty.
    static func encode(_ text: String) -> String {
        let normalized = text.replacing("\r\n", with: "\n").replacing("\r", with: "\n")
        var lines = normalized.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines.map { encode(line: Array($0.utf8)) + "\r\n" }.joined()
    }

    /// One line of text, encoded, soft-broken where needed, without its line end.
    private static func encode(line bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        var lineLength = 0
        for (index, byte) in bytes.enumerated() {
            let isLast = index == bytes.count - 1
            let isLiteral = (UInt8(ascii: "!")...UInt8(ascii: "~")).contains(byte) && byte != UInt8(ascii: "=")
                || (byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")) && !isLast
            let token = isLiteral ? [byte] : [UInt8(ascii: "="), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]]
            // Every line but the last needs room for its soft-break "=".
            let limit = isLast ? maximumLineLength : maximumLineLength - 1
            if lineLength + token.count > limit {
                output += Array("=\r\n".utf8)
                lineLength = 0
            }
            output += token
            lineLength += token.count
        }
        return String(decoding: output, as: UTF8.self)
    }
}
