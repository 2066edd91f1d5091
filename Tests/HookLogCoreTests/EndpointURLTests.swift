import HookLogCore
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
}
