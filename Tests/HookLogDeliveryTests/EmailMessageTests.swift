import HookLogCore
import HookLogDelivery
import Testing

/// The RFC 5322 text of a message, before SMTP carries it.
@Suite("E-mail message")
struct EmailMessageTests {
    static func rendered(subject: String = "Hello", body: String = "Hi\n", date: Timestamp = Timestamp(seconds: 0)) -> String {
        EmailMessage(from: "a@example.test", to: "b@example.test", subject: subject, textBody: body)
            .rendered(date: date, messageID: "id@example.test")
    }

    static func header(_ name: String, in text: String) -> String? {
        text.split(separator: "\r\n").first { $0.hasPrefix("\(name): ") }.map { String($0.dropFirst(name.count + 2)) }
    }

    @Test(arguments: [
        (Int64(0), "Thu, 01 Jan 1970 00:00:00 +0000"),
        (-1, "Wed, 31 Dec 1969 23:59:59 +0000"),
        (1_709_208_000, "Thu, 29 Feb 2024 12:00:00 +0000"),
        (1_700_000_000, "Tue, 14 Nov 2023 22:13:20 +0000"),
        (4_102_444_799, "Thu, 31 Dec 2099 23:59:59 +0000"),
    ])
    func theDateIsRFC5322InUTC(seconds: Int64, expected: String) {
        #expect(Self.header("Date", in: Self.rendered(date: Timestamp(seconds: seconds))) == expected)
    }

    @Test func theHeadersDeclareAQuotedPrintableUTF8TextBody() {
        let text = Self.rendered()
        #expect(text.hasPrefix("Date: Thu, 01 Jan 1970 00:00:00 +0000\r\nFrom: a@example.test\r\nTo: b@example.test\r\n"))
        #expect(text.contains("\r\nMessage-ID: <id@example.test>\r\nMIME-Version: 1.0\r\n"))
        #expect(text.contains("\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nHi\r\n"))
    }

    @Test func anASCIISubjectIsFoldedAtSpacesAndANonASCIIOneEncoded() {
        let long = Array(repeating: "word", count: 30).joined(separator: " ")
        let folded = Self.rendered(subject: long)
        #expect(folded.contains("Subject: word word"))
        #expect(folded.split(separator: "\r\n").allSatisfy { $0.utf8.count <= 78 })
        #expect(folded.replacing("\r\n ", with: " ").contains("Subject: \(long)\r\n"))

        #expect(Self.rendered(subject: "Zoë").contains("Subject: =?UTF-8?B?Wm/Dqw==?=\r\n"))
    }

    @Test func theBodyIsQuotedPrintableWithShortLinesAndCRLF() {
        let text = Self.rendered(body: "café = 1 \nline two\r\n" + String(repeating: "x", count: 100) + "\n")
        let body = text.split(separator: "\r\n\r\n", maxSplits: 1)[1]
        #expect(body == "caf=C3=A9 =3D 1=20\r\nline two\r\n" + String(repeating: "x", count: 75) + "=\r\n"
            + String(repeating: "x", count: 25) + "\r\n")
    }
}
