import HookLogTestSupport
import NIOHTTP1
import Testing

@Suite("Event ids are the workspace's own")
struct EventIdIsolationTests {
    @Test("another workspace that sends an event with the same id is accepted, yet never reads or redelivers the first workspace's delivery")
    func sameEventIdInTwoWorkspaces() async throws {
        try await withServer { server in
            let (_, alice) = try await server.workspace()
            let (_, mallory) = try await server.workspace()
            _ = try await server.webhook(key: alice, path: "/alice")
            let event = #"{"id": "evt_order_1001", "type": "contact.created", "data": {"card": "4242"}}"#
            let posted = try await server.call(.POST, "/v1/events", key: alice, body: event)
            #expect(posted.status == 202)
            let delivery = try #require(posted.json["deliveries"][0]["id"].string)
            try await server.settle()
            let alicesView = try await server.call(.GET, "/v1/deliveries/\(delivery)", key: alice)
            #expect(alicesView.status == 200 && alicesView.json["attempts"].count == 1, "\(alicesView.text)")

            let copied = try await server.call(.POST, "/v1/events", key: mallory, body: event)
            #expect(copied.status == 202, "the same id in another workspace is another event: \(copied.text)")
            #expect(copied.json["deliveries"].count == 0, "\(copied.text)")

            for (method, path) in [(HTTPMethod.GET, "/v1/deliveries/\(delivery)"), (.POST, "/v1/deliveries/\(delivery)/redeliver")] {
                let reply = try await server.call(method, path, key: mallory)
                #expect(reply.status == 404, "\(path) as a workspace that sent an event with the same id: \(reply.text)")
                #expect(reply.errorCode == "not_found")
                #expect(!reply.text.contains("attempts"))
            }
            let malloryEvent = try await server.call(.GET, "/v1/events/evt_order_1001", key: mallory)
            #expect(malloryEvent.status == 200 && malloryEvent.json["deliveries"].count == 0, "only its own event: \(malloryEvent.text)")
            let aliceEvent = try await server.call(.GET, "/v1/events/evt_order_1001", key: alice)
            #expect(aliceEvent.json["deliveries"].count == 1, "\(aliceEvent.text)")

            let repeated = try await server.call(.POST, "/v1/events", key: alice, body: event)
            #expect(repeated.text == posted.text, "a repeat within the workspace still gets the first answer")
            let repeatedCopy = try await server.call(.POST, "/v1/events", key: mallory, body: event)
            #expect(repeatedCopy.text == copied.text)
            #expect(try await server.call(.GET, "/v1/deliveries/\(delivery)", key: alice).status == 200)
        }
    }

    @Test("on the dashboard, a workspace that sent an event with another's id sees neither that delivery's page nor its event")
    func sameEventIdOnTheDashboard() async throws {
        try await withDashboard { server, browser in
            let (_, alice) = try await server.workspace()
            let (_, mallory) = try await server.workspace()
            _ = try await server.webhook(key: alice, path: "/alice")
            let event = #"{"id": "evt_order_1001", "type": "contact.created", "data": {"card": "4242"}}"#
            let posted = try await server.call(.POST, "/v1/events", key: alice, body: event)
            let delivery = try #require(posted.json["deliveries"][0]["id"].string)
            #expect(try await server.call(.POST, "/v1/events", key: mallory, body: event).status == 202)
            try await browser.signIn(mallory)
            _ = try await browser.get("/webhooks")
            let page = try await browser.get("/deliveries/\(delivery)")
            #expect(page.status == 404, "\(page.text)")
            #expect(!page.text.contains("4242"))
            #expect(try await browser.post("/deliveries/\(delivery)/redeliver").status == 404)
        }
    }
}
