import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Strings in request bodies, through the router without sockets")
struct RequestStringTests {
    @Test("a string reads as sent, plain or with escapes: quotes, control characters, \\u escapes and surrogate pairs")
    func escapesRead() async throws {
        try await withRouter { router in
            let sent = #"{"name": "Caf\u00e9 \"Q\" \ud83d\ude00\ttab\\end/\/", "plan": "adv\u0061nced", "owner_email": "ops@acme.example"}"#
            let reply = try await router.call(.post, "/v1/workspaces", key: RouterHarness.adminKey, body: sent)
            let workspace = JSON(String(buffer: reply.body))["workspace"]
            #expect(reply.status == .created, "\(String(buffer: reply.body))")
            #expect(workspace["name"].string == "Café \"Q\" 😀\ttab\\end//")
            #expect(workspace["plan"].string == "advanced")

            let (_, key) = try await router.workspace()
            let event = try await router.call(.post, "/v1/events", key: key, body: #"{"type": "contact\u002ecreated", "data": {"ü": "\"é\""}}"#)
            #expect(event.status == .accepted, "\(String(buffer: event.body))")
            #expect(JSON(String(buffer: event.body))["type"].string == "contact.created")
        }
    }
}
