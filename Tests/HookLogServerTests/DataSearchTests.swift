import HookLogCore
import HookLogStore
import HookLogTestSupport
import NIOHTTP1
import Testing

@Suite("Searching a webhook's deliveries by event data, over HTTP")
struct DataSearchTests {
    @Test("q finds the workspace's deliveries whose data holds the value, newest first, paged, with a status filter, until retention removes them")
    func searchOverHTTP() async throws {
        try await withTemporaryDirectory { directory in
            let server = try await ServerHarness(directory: directory, retention: .seconds(3_600))
            do {
                let (_, key) = try await server.workspace()
                let webhook = try await server.webhook(key: key, path: "/crm")
                let (_, otherKey) = try await server.workspace(owner: "owner@other.example")
                let othersWebhook = try await server.webhook(key: otherKey, path: "/other")
                func send(_ id: String, _ data: String, key: String = key) async throws {
                    let reply = try await server.call(
                        .POST, "/v1/events", key: key, body: #"{"id": "\#(id)", "type": "contact.created", "data": \#(data)}"#)
                    try #require(reply.status == 202, "\(reply.text)")
                }
                func search(_ query: String, of webhook: String = webhook, key: String = key) async throws -> (ids: [String], cursor: String?) {
                    let reply = try await server.call(.GET, "/v1/webhooks/\(webhook)/deliveries?\(query)", key: key)
                    try #require(reply.status == 200, "\(reply.text)")
                    return (reply.json["data"].array.compactMap { $0["event_id"].string }, reply.json["next_cursor"].string)
                }

                try await send("first", #"{"contact": {"id": "c_42", "emails": [{"kind": "work", "value": "ada@example.com"}]}, "amount": 12.50}"#)
                _ = try await server.receiver.waitForRequests(count: 1, path: "/crm")
                try await server.settle()
                server.receiver.setBehaviour(.respond(status: 500, body: "down"), forPath: "/crm")
                try await send("second", #"{"orders": [{"lines": [{"sku": "A-1", "buyer": {"email": "ada@example.com"}}]}]}"#)
                try await send("unrelated", #"{"contact": {"id": "c_7", "email": "grace@example.com"}}"#)
                try await send("as_key", #"{"ada@example.com": "subscribed", "amount": "12.5"}"#)
                try await send("third", #"{"to": "ada@example.com", "flags": [true, null]}"#)
                try await send("theirs", #"{"email": "ada@example.com"}"#, key: otherKey)
                _ = try await server.receiver.waitForRequests(count: 2, path: "/crm")
                try await server.settle()

                let ada = "q=ada%40example.com"
                #expect(try await search(ada).ids == ["third", "second", "first"], "newest first; never a key, never another workspace's")
                #expect(try await search(ada, of: othersWebhook, key: otherKey).ids == ["theirs"])
                #expect(try await search("q=c_42").ids == ["first"])
                #expect(try await search("q=12.50").ids == ["first"], "a number as it was written")
                #expect(try await search("q=12.5").ids == ["as_key"], "a string is not the number 12.50")
                #expect(try await search("q=emails").ids == [], "keys never match")
                #expect(try await search("q=true").ids == [])
                #expect(try await search("\(ada)&status=succeeded").ids == ["first"])
                #expect(try await search("\(ada)&status=retrying").ids == ["second"], "the queue's head failed once")
                #expect(try await search("\(ada)&status=queued").ids == ["third"])

                var paged: [String] = []
                var cursor: String? = nil
                repeat {
                    let page = try await search("\(ada)&limit=1" + (cursor.map { "&cursor=\($0)" } ?? ""))
                    #expect(page.ids.count == 1)
                    paged += page.ids
                    cursor = page.cursor
                } while cursor != nil
                #expect(paged == ["third", "second", "first"])

                for refused in ["q=", "q=" + String(repeating: "x", count: DataSearch.maxTextBytes + 1)] {
                    let reply = try await server.call(.GET, "/v1/webhooks/\(webhook)/deliveries?\(refused)", key: key)
                    #expect(reply.status == 400)
                    #expect(reply.json["error"]["code"].string == "invalid_field")
                    #expect(reply.json["error"]["message"].string?.contains("q must") == true, "\(reply.text)")
                }
                #expect(try await search("q=" + String(repeating: "x", count: DataSearch.maxTextBytes)).ids == [])

                server.receiver.setBehaviour(.respond(status: 204), forPath: "/crm")
                try await server.advance(by: .seconds(30), until: "every delivery succeeds") {
                    server.store.withState { $0.queues[WebhookID(webhook)]?.head == nil }
                }
                server.clock.advance(by: .seconds(7_200))
                try await send("fresh", #"{"contact": {"email": "ada@example.com"}}"#)
                var afterRetention = try await search(ada).ids
                for _ in 0..<200 where afterRetention != ["fresh"] {
                    try await Task.sleep(for: .milliseconds(50))
                    afterRetention = try await search(ada).ids
                }
                #expect(afterRetention == ["fresh"], "the compactor removes the old events and their search entries")
                #expect(try await search("q=c_42").ids == [])
                try await server.stop()
            } catch {
                try? await server.stop()
                throw error
            }
        }
    }
}
