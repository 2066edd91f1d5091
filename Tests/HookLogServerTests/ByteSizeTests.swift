import HookLogServer
import Testing

@Suite("Byte sizes for --min-free-disk")
struct ByteSizeTests {
    @Test("plain bytes and whole KiB, MiB or GiB, any case, with or without a space", arguments: [
        ("0", 0), ("536870912", 536_870_912), ("1KiB", 1024), ("8 KiB", 8 << 10), ("512MiB", 512 << 20),
        ("512 mib", 512 << 20), ("2GiB", 2 << 30), ("3 GIB", 3 << 30), ("0MiB", 0),
        ("17179869183GiB", 17_179_869_183 << 30), ("18446744073709551615", UInt64.max),
    ] as [(String, UInt64)])
    func parses(text: String, bytes: UInt64) {
        #expect(ByteSize(parsing: text)?.bytes == bytes)
    }

    @Test("anything else is refused: no number, a sign, a fraction, another unit, spaces around, or too many bytes", arguments: [
        "", "MiB", "-1", "+5", "1.5GiB", "1e9", "512MB", "512M", "512 B", "512  MiB", " 512", "512 ", "12x", "0x10",
        "17179869184GiB", "18446744073709551616", "٣MiB",
    ])
    func refuses(text: String) {
        #expect(ByteSize(parsing: text) == nil)
    }

    @Test("sizes read back in the largest unit they reach, to one decimal", arguments: [
        (0, "0 bytes"), (1, "1 byte"), (1023, "1023 bytes"), (1024, "1 KiB"), (512 << 20, "512 MiB"),
        ((3 << 20) + (1 << 18), "3.3 MiB"), ((1 << 30) - 1, "1024 MiB"), (71 << 30, "71 GiB"), (UInt64.max, "17179869184 GiB"),
    ] as [(UInt64, String)])
    func describes(bytes: UInt64, text: String) {
        #expect(ByteSize(bytes: bytes).description == text)
    }
}
