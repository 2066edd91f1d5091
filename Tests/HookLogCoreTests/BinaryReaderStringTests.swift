import HookLogCore
import Testing

/// `BinaryReader.readString` reads ASCII on a fast path of its own: it must accept exactly what full UTF-8 validation
/// accepts, wherever in the string (the eight-byte words or the tail) a non-ASCII byte falls.
@Suite("Reading strings")
struct BinaryReaderStringTests {
    func read(_ utf8: [UInt8]) throws -> String {
        var writer = BinaryWriter()
        writer.write(UInt64(utf8.count))
        let bytes = writer.bytes + utf8
        return try bytes.withUnsafeBytes { buffer in
            var reader = BinaryReader(buffer)
            let string = try reader.readString()
            #expect(reader.isAtEnd)
            return string
        }
    }

    @Test("ASCII strings of every length up to three words read back as written", arguments: 0...24)
    func asciiStringsRoundTrip(length: Int) throws {
        let string = String((0..<length).map { Character(UnicodeScalar(UInt8(0x21 + $0 * 3 % 94))) })
        #expect(try read(Array(string.utf8)) == string)
    }

    @Test("Valid non-ASCII strings read back as written", arguments: [
        "é", "café_wh_3kq9", "wh_3kq9abcdefgh_ü", "日本語のテキスト", "evt_🎉", "0123456789abcdef\u{7F}ÿ",
    ])
    func nonASCIIStringsRoundTrip(string: String) throws {
        #expect(try read(Array(string.utf8)) == string)
    }

    @Test("A byte that is not UTF-8 is malformed, in a word or in the tail", arguments: [0, 3, 7, 8, 12, 15, 16, 17])
    func invalidBytesAreMalformed(position: Int) {
        var utf8 = Array("dlv_0123456789abcd".utf8)
        utf8[position] = 0xFF
        #expect(throws: DecodingFailure.malformed("string is not valid UTF-8")) { try read(utf8) }
    }

    @Test("A truncated multi-byte sequence is malformed even where repairing it would keep the length")
    func truncatedSequencesAreMalformed() {
        // F0 90 80 is the start of a four-byte scalar; a repairing decoder replaces it with one U+FFFD, three bytes.
        let utf8 = Array("wh_abcde".utf8) + [0xF0, 0x90, 0x80] + Array("fghij".utf8)
        #expect(throws: DecodingFailure.malformed("string is not valid UTF-8")) { try read(utf8) }
        #expect(throws: DecodingFailure.malformed("string is not valid UTF-8")) { try read([0xC3]) }
    }
}
