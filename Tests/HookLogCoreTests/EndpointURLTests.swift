@testable import HookLogCore
import Testing

/// What the sender reads from an endpoint URL to connect and to write the request: scheme, port, the `Host` header
/// and the request target.
@Suite("Endpoint URL")
struct EndpointURLTests {
    struct Parts: Sendable, Equatable {
        let usesTLS: Bool
        let port: Int
        let authority: String
        let requestTarget: String
    }

    @Test("scheme, port, authority and request target", arguments: [
        ("http://hooks.example:8080/in?token=abc#frag", Parts(usesTLS: false, port: 8080, authority: "hooks.example:8080", requestTarget: "/in?token=abc")),
        ("HTTPS://HOOKS.EXAMPLE", Parts(usesTLS: true, port: 443, authority: "HOOKS.EXAMPLE", requestTarget: "/")),
        ("http://[::1]:9000/hook", Parts(usesTLS: false, port: 9000, authority: "[::1]:9000", requestTarget: "/hook")),
        ("http://10.0.0.7#x", Parts(usesTLS: false, port: 80, authority: "10.0.0.7", requestTarget: "/")),
        ("https://hooks.example?next=1", Parts(usesTLS: true, port: 443, authority: "hooks.example", requestTarget: "/?next=1")),
    ])
    func parts(url: String, expected: Parts) throws {
        let parsed = try EndpointURL(url)
        #expect(Parts(usesTLS: parsed.usesTLS, port: parsed.port, authority: parsed.authority, requestTarget: parsed.requestTarget) == expected)
    }

    @Test("a port must be 1 to 65535 in digits", arguments: [
        "http://hooks.example:0/", "http://hooks.example:65536/", "http://hooks.example:abc/", "http://hooks.example:+80/",
        "http://hooks.example:/in", "http://[::1]x/in",
    ])
    func malformedPorts(url: String) {
        let error = #expect(throws: DecisionError.self) { try EndpointURL(url) }
        #expect(error?.code == .invalidField)
        #expect(error?.message.contains("port") == true, "\(error?.message ?? "")")
    }

    @Test("a URL of printable ASCII read byte by byte has exactly the parts, and the validity, that reading it character by character gives")
    func bytewiseReadingAgrees() {
        var compared = 0
        for scheme in ["http", "HTTPS", "https", "ftp", "htt"] {
            for separator in ["://", ":/", "//"] {
                for host in ["hooks.example", "[::1]", "", "a@b", "10.0.0.7", "[::1", "h]x", "[::1]]", "hôoks.example"] {
                    for port in ["", ":80", ":0", ":65535", ":65536", ":", ":8a", ":+80", ":00080", ":1234567"] {
                        for path in ["", "/in", "/a?b=c", "?q", "#frag", "/x#y?z", "/a b", "/a\u{1}b", "/://x"] {
                            let url = scheme + separator + host + port + path
                            let checked = try? EndpointURL(checking: url)
                            let bytewise = EndpointURL(printableASCII: url)
                            if let bytewise { #expect(bytewise == checked, "\(url)") }
                            let printable = url.utf8.allSatisfy { (0x21...0x7E).contains($0) }
                            if printable, !port.hasPrefix(":1234567") {
                                #expect((bytewise != nil) == (checked != nil), "\(url)")
                                compared += 1
                            } else {
                                #expect(bytewise == nil || printable, "\(url) is left to the character-by-character reading")
                            }
                        }
                    }
                }
            }
        }
        #expect(compared > 5_000)
    }
}
