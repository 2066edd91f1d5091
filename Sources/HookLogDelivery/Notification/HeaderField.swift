import HookLogCore

/// A header field of an e-mail (RFC 5322 §2.2), written as one or more CRLF-terminated lines.
enum HeaderField {
    /// Lines are folded to this length where the text allows (RFC 5322 §2.1.1 recommends 78).
    private static let preferredLineLength = 78
    /// No line may be longer than this (RFC 5322 §2.1.1).
    private static let maximumLineLength = 998
    /// UTF-8 bytes per encoded word: 52 base64 characters, 64 with the `=?UTF-8?B?…?=` around them.
    private static let bytesPerEncodedWord = 39

    /// An unstructured field such as Subject (RFC 5322 §3.6.5).
    ///
    /// Printable ASCII text is folded at spaces; text with other characters, or with a word too long for a line,
    /// becomes RFC 2047 `=?UTF-8?B?…?=` encoded words, one per folded line, each holding whole characters.
    static func unstructured(_ name: String, _ value: String) -> String {
        let isPrintableASCII = value.utf8.allSatisfy { (UInt8(ascii: " ")...UInt8(ascii: "~")).contains($0) }
        if isPrintableASCII {
            let lines = folded("\(name): \(value)")
            if lines.allSatisfy({ $0.utf8.count <= maximumLineLength }) {
                return lines.map { $0 + "\r\n" }.joined()
            }
        }
        return "\(name): " + encodedWords(value).joined(separator: "\r\n ") + "\r\n"
    }

    /// A structured field such as From or Message-ID, written as given but with control characters (a CR or LF
    /// could start a header of its own) replaced by spaces. Addresses must be ASCII: HookLog does not speak SMTPUTF8.
    static func verbatim(_ name: String, _ value: String) -> String {
        let cleaned = String(String.UnicodeScalarView(value.unicodeScalars.map {
            $0.properties.generalCategory == .control ? " " : $0
        }))
        return "\(name): \(cleaned)\r\n"
    }

    /// `text` broken at spaces into lines of at most ``preferredLineLength`` where possible; each line after
    /// the first starts with the space it was broken at.
    private static func folded(_ text: String) -> [String] {
        var lines: [String] = []
        var current = ""
        for (index, word) in text.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
            if index == 0 {
                current = String(word)
            } else if current.utf8.count + 1 + word.utf8.count <= preferredLineLength
                || current.allSatisfy({ $0 == " " })  // a line of only spaces is not allowed (RFC 5322 §3.2.2)
            {
                current += " " + word
            } else {
                lines.append(current)
                current = " " + word
            }
        }
        lines.append(current)
        return lines
    }

    /// `text` as RFC 2047 B-encoded words of whole Unicode scalars.
    private static func encodedWords(_ text: String) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if chunk.count + bytes.count > bytesPerEncodedWord {
                words.append("=?UTF-8?B?\(Base64.encode(chunk))?=")
                chunk = []
            }
            chunk += bytes
        }
        words.append("=?UTF-8?B?\(Base64.encode(chunk))?=")
        return words
    }
}
