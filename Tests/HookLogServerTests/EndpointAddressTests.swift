import HookLogDelivery
import HookLogTestSupport
import NIOHTTP1
import Testing

/// The address check seen from the API (docs/operations.md, "Endpoint addresses (SSRF)"): a webhook's name that
/// resolves to a public address when its URL is set and to loopback afterwards never lets a test event read what
/// listens on loopback. The receiver listens on loopback; the public address is only ever checked, never connected to.
@Suite("Endpoint addresses")
struct EndpointAddressTests {
    @Test("a name that rebinds to loopback: the test event reaches nothing, fails as dns, and /metrics counts it")
    func rebindingTestEventIsRefused() async throws {
        let resolver = SwitchableResolver(answering: try #require(IPAddress("93.184.216.34")))
        try await withServer(allowPrivateEndpoints: false, endpointResolver: resolver) { server in
            let (_, key) = try await server.workspace()
            let created = try await server.call(
                .POST, "/v1/webhooks", key: key,
                body: #"{"url": "http://rebind.example:\#(server.receiver.port)/hook", "events": ["contact.created"]}"#)
            try #require(created.status == 201, "\(created.text)")
            let webhook = try #require(created.json["id"].string)
            resolver.answer(try #require(IPAddress("127.0.0.1")))

            let tested = try await server.call(.POST, "/v1/webhooks/\(webhook)/test", key: key)
            #expect(tested.status == 200, "\(tested.text)")
            #expect(tested.json["error"].string == "dns", "\(tested.text)")
            #expect(tested.json["status_code"].int == nil)
            let snippet = try #require(tested.json["response_snippet"].string)
            #expect(snippet.contains("Loopback") && !snippet.contains("127.0.0.1"), "\(snippet)")
            #expect(server.receiver.acceptedConnectionCount == 0, "nothing reached the loopback listener")

            let metrics = try await server.call(.GET, "/metrics").text
            #expect(metrics.contains("hooklog_endpoint_address_refusals_total 1"), "\(metrics)")
        }
    }
}
