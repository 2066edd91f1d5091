/// One reply of an SMTP server (RFC 5321 §4.2): a three-digit code and one or more lines of text.
struct SMTPReply: Sendable, Equatable {
    /// The reply code, such as 250 or 550.
    var code: Int
    /// The text of each line, after the code and its separator.
    var lines: [String]

    /// The text of all lines on one line, as errors quote it.
    var message: String { lines.joined(separator: " ") }

    /// The service extensions an EHLO reply announces (every line but the first), by upper-cased keyword, each
    /// with its parameters: `["STARTTLS": [], "AUTH": ["PLAIN", "LOGIN"], …]`.
    var extensions: [String: [String]] {
        var extensions: [String: [String]] = [:]
        for line in lines.dropFirst() {
            let words = line.split(separator: " ").map { $0.uppercased() }
            guard let keyword = words.first else { continue }
            extensions[keyword] = Array(words.dropFirst())
        }
        return extensions
    }
}
