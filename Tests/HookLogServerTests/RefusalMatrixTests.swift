import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Every refusal, through the router without sockets")
struct RefusalMatrixTests {
    /// One request and the status and error code it must get.
    struct Refusal: Sendable, CustomStringConvertible {
        let method: HTTPRequest.Method
        let path: String
        var key: String?
        var body: String?
        var contentType = "application/json"
        let status: HTTPResponse.Status
        let code: String

        var description: String { "\(method) \(path) → \(status.code) \(code)" }
    }

    @Test("401 without a key or with an unknown one, on every kind of route, with WWW-Authenticate")
    func unauthenticated() async throws {
        try await withRouter { router in
            let routes: [(HTTPRequest.Method, String)] = [
                (.get, "/v1/webhooks"), (.get, "/v1/events/evt_x"), (.get, "/v1/deliveries/dlv_x"), (.get, "/v1/log"),
                (.patch, "/v1/workspaces/ws_x"),
            ]
            for (method, path) in routes {
                for key in [nil, "hk_not_a_key", ""] as [String?] {
                    let reply = try await router.call(method, path, key: key)
                    try Self.expect(reply, Refusal(method: method, path: path, key: key, status: .unauthorized, code: "unauthorized"))
                    #expect(reply.headers[.wwwAuthenticate] == "Bearer")
                }
            }
        }
    }

    @Test("403 forbidden for the wrong kind of key, 403 plan_required below advanced, 404 for another workspace's ids")
    func forbiddenAndForeign() async throws {
        try await withRouter { router in
            let (aliceID, alice) = try await router.workspace()
            let (_, bob) = try await router.workspace()
            let (_, starter) = try await router.workspace(plan: "starter")
            let created = try await router.call(.post, "/v1/webhooks", key: alice, body: #"{"url": "http://127.0.0.1:9/x", "events": ["contact.created"]}"#)
            let webhook = try #require(JSON(String(buffer: created.body))["id"].string)
            let posted = try await router.call(.post, "/v1/events", key: alice, body: #"{"id": "evt_alice", "type": "contact.created", "data": {}}"#)
            let delivery = try #require(JSON(String(buffer: posted.body))["deliveries"][0]["id"].string)
            let cases = [
                Refusal(method: .get, path: "/v1/webhooks", key: RouterHarness.adminKey, status: .forbidden, code: "forbidden"),
                Refusal(method: .post, path: "/v1/events", key: RouterHarness.adminKey, body: "{}", status: .forbidden, code: "forbidden"),
                Refusal(method: .patch, path: "/v1/workspaces/\(aliceID)", key: alice, body: #"{"plan": "enterprise"}"#, status: .forbidden, code: "forbidden"),
                Refusal(method: .get, path: "/v1/webhooks", key: starter, status: .forbidden, code: "plan_required"),
                Refusal(method: .post, path: "/v1/deliveries/\(delivery)/redeliver", key: starter, status: .forbidden, code: "plan_required"),
                Refusal(method: .get, path: "/v1/webhooks/\(webhook)", key: bob, status: .notFound, code: "not_found"),
                Refusal(method: .delete, path: "/v1/webhooks/\(webhook)", key: bob, status: .notFound, code: "not_found"),
                Refusal(method: .get, path: "/v1/webhooks/\(webhook)/audit", key: bob, status: .notFound, code: "not_found"),
                Refusal(method: .get, path: "/v1/events/evt_alice", key: bob, status: .notFound, code: "not_found"),
                Refusal(method: .get, path: "/v1/deliveries/\(delivery)", key: bob, status: .notFound, code: "not_found"),
                Refusal(method: .post, path: "/v1/deliveries/\(delivery)/redeliver", key: bob, status: .notFound, code: "not_found"),
            ]
            for refusal in cases { try Self.expect(try await router.send(refusal), refusal) }
            #expect(try await router.call(.get, "/v1/webhooks/\(webhook)", key: alice).status == .ok, "nothing was changed")
        }
    }

    @Test("404 for no route, 405 with Allow for a known path asked with another method")
    func routing() async throws {
        try await withRouter { router in
            let (_, key) = try await router.workspace()
            try Self.expect(
                try await router.call(.get, "/v1/nothing-here", key: key),
                Refusal(method: .get, path: "/v1/nothing-here", status: .notFound, code: "not_found"))
            let wrongMethod = try await router.call(.put, "/v1/webhooks/wh_x", key: key, body: "{}")
            try Self.expect(wrongMethod, Refusal(method: .put, path: "/v1/webhooks/wh_x", status: .methodNotAllowed, code: "method_not_allowed"))
            #expect(wrongMethod.headers[.allow] == "DELETE, GET, PATCH")
            let healthz = try await router.call(.post, "/healthz")
            try Self.expect(healthz, Refusal(method: .post, path: "/healthz", status: .methodNotAllowed, code: "method_not_allowed"))
            #expect(healthz.headers[.allow] == "GET")
        }
    }

    @Test("400 invalid_json and invalid_field, 413, 415 and 422, and nothing is recorded by any of them")
    func badInput() async throws {
        try await withRouter { router in
            let (_, key) = try await router.workspace()
            let before = try await router.call(.get, "/v1/log?limit=500", key: RouterHarness.adminKey).body
            let huge = #"{"type": "contact.created", "data": {"blob": ""# + String(repeating: "x", count: 5 << 20) + #""}}"#
            let bigData = #"{"type": "contact.created", "data": {"blob": ""# + String(repeating: "x", count: 300_000) + #""}}"#
            let cases = [
                Refusal(method: .post, path: "/v1/events", key: key, body: "{not json", status: .badRequest, code: "invalid_json"),
                Refusal(method: .post, path: "/v1/events", key: key, body: "", status: .badRequest, code: "invalid_json"),
                Refusal(method: .post, path: "/v1/webhooks", key: key, body: "[1, 2]", status: .badRequest, code: "invalid_json"),
                Refusal(method: .post, path: "/v1/webhooks", key: key, body: #"{"url": 7, "events": ["contact.created"]}"#, status: .badRequest, code: "invalid_field"),
                Refusal(method: .post, path: "/v1/webhooks", key: key, body: #"{"events": ["contact.created"]}"#, status: .badRequest, code: "invalid_field"),
                Refusal(method: .post, path: "/v1/webhooks", key: key, body: #"{"url": "ftp://x.example", "events": ["contact.created"]}"#, status: .badRequest, code: "invalid_field"),
                Refusal(method: .post, path: "/v1/events", key: key, body: #"{"type": "contact.created", "data": [1]}"#, status: .badRequest, code: "invalid_field"),
                Refusal(method: .post, path: "/v1/events", key: key, body: #"{"type": "contact.created", "occurred_at": "yesterday", "data": {}}"#, status: .badRequest, code: "invalid_field"),
                Refusal(method: .post, path: "/v1/workspaces", key: RouterHarness.adminKey, body: #"{"name": "A", "plan": "gold", "owner_email": "a@b.example"}"#, status: .badRequest, code: "invalid_field"),
                Refusal(method: .get, path: "/v1/log?limit=0", key: key, status: .badRequest, code: "invalid_field"),
                Refusal(method: .post, path: "/v1/events", key: key, body: huge, status: .contentTooLarge, code: "payload_too_large"),
                Refusal(method: .post, path: "/v1/events", key: key, body: bigData, status: .contentTooLarge, code: "payload_too_large"),
                Refusal(method: .post, path: "/v1/events", key: key, body: #"{"type": "contact.created", "data": {}}"#, contentType: "text/plain", status: .unsupportedMediaType, code: "unsupported_media_type"),
                Refusal(method: .post, path: "/v1/events", key: key, body: #"{"type": "contact.exploded", "data": {}}"#, status: .unprocessableContent, code: "unknown_event_type"),
                Refusal(method: .post, path: "/v1/webhooks", key: key, body: #"{"url": "http://x.example", "events": ["contact.deleted"]}"#, status: .unprocessableContent, code: "unknown_event_type"),
            ]
            for refusal in cases { try Self.expect(try await router.send(refusal), refusal) }
            #expect(try await router.call(.get, "/v1/log?limit=500", key: RouterHarness.adminKey).body == before, "refusals record nothing")
        }
    }

    @Test("a refused body is told which field was wrong and what it must be")
    func messages() async throws {
        try await withRouter { router in
            let (_, key) = try await router.workspace()
            let cases: [(String, String, String)] = [
                ("/v1/webhooks", "{not json", "the body is not valid JSON: expected a member name at byte 1"),
                ("/v1/webhooks", #"{"url": "x",}"#, "the body is not valid JSON: expected a member name at byte 12"),
                ("/v1/webhooks", "[1, 2]", "the body must be a JSON object, not an array"),
                ("/v1/webhooks", #"{"url": 7, "events": ["contact.created"]}"#, "url must be a string, not a number"),
                ("/v1/webhooks", #"{"url": null, "events": ["contact.created"]}"#, "url is required"),
                ("/v1/webhooks", #"{"url": "http://x.example", "events": "contact.created"}"#, "events must be an array, not a string"),
                ("/v1/events", #"{"events": [{"type": "contact.created", "data": {}}, 3]}"#, "events[1] must be an object, not a number"),
                ("/v1/events", #"{"events": [{"type": "contact.created", "data": {}}, {"data": {}}]}"#, "events[1].type is required"),
                ("/v1/events", #"{"type": "contact.created"}"#, "data is required and must be an object"),
                ("/v1/events", #"{"type": "contact.created", "data": "x"}"#, "data must be an object, not a string"),
                ("/v1/events", #"{"type": "contact.created", "data": {}, "occurred_at": "noon"}"#,
                 "occurred_at must be an RFC 3339 time such as 2026-11-25T10:00:00Z, not 'noon'"),
                ("/v1/events", "[1, 2]", "the body must be a JSON object, not an array"),
                ("/v1/events", #"{"events": {"type": "contact.created"}}"#, "events must be an array, not an object"),
                ("/v1/events", #"{"events": []}"#, "events must hold 1 to 1000 events, not 0"),
                ("/v1/events", #"{"type": 3, "data": {}}"#, "type must be a string, not a number"),
                ("/v1/events", #"{"type": 3, "type": "contact.created", "data": {}}"#, "type must be a string, not a number"),
                ("/v1/events", #"{"id": true, "type": "contact.created", "data": {}}"#, "id must be a string, not a boolean"),
                ("/v1/events", #"{"events": [{"type": "contact.created", "data": {}, "occurred_at": 5}]}"#,
                 "events[0].occurred_at must be a string, not a number"),
                ("/v1/events", #"{"events": [{"id": "", "type": "contact.created", "data": {}}]}"#,
                 "events[0].id must be 1 to 255 characters of letters, digits and _ - . : ~"),
            ]
            for (path, body, message) in cases {
                let reply = try await router.call(.post, path, key: key, body: body)
                #expect(JSON(String(buffer: reply.body))["error"]["message"].string == message, "\(path) \(body)")
            }
        }
    }

    /// `data` nested `levels` objects deep, the innermost holding 1.
    static func nestedData(levels: Int) -> String {
        String(repeating: #"{"a":"#, count: levels) + "1" + String(repeating: "}", count: levels)
    }

    @Test("an ingest body is checked whole as JSON before its fields, the parts it skips as strictly as the rest")
    func ingestIsCheckedWhole() async throws {
        try await withRouter { router in
            let (_, key) = try await router.workspace()
            let refused: [(String, String)] = [
                (#"{"events": [{"data": {}}, {"type": "contact.created", "data": {]}]}"#,
                 "the body is not valid JSON: expected a member name at byte 63"),
                (#"{"type": "contact.created", "data": {}, "extra": "\x"}"#,
                 "the body is not valid JSON: an unknown escape at byte 52"),
                (#"{"type": "contact.created", "data": {"list": [1, 2,]}}"#,
                 "the body is not valid JSON: unexpected character at byte 51"),
                (#"{"type": "contact.created", "data": "# + Self.nestedData(levels: 64) + "}",
                 "the body is not valid JSON: nesting deeper than 64 levels at byte 351"),
                (#"{"type": null, "type": "contact.created", "data": {}}"#, "type is required"),
                (#"{"events": [{"type": "contact.created", "data": 7}], "events": 5}"#, "events[0].data must be an object, not a number"),
            ]
            for (body, message) in refused {
                let reply = try await router.call(.post, "/v1/events", key: key, body: body)
                #expect(reply.status == .badRequest, "\(body)")
                #expect(JSON(String(buffer: reply.body))["error"]["message"].string == message, "\(body)")
            }
            let deepest = #"{"type": "contact.created", "data": "# + Self.nestedData(levels: 63) + "}"
            let accepted = [
                (deepest, Self.nestedData(levels: 63)),
                (#"{"events": null, "type": "contact.created", "data": {"b": [true, null, -1.5e3, "\u00e9"]}, "data": 5}"#,
                 #"{"b": [true, null, -1.5e3, "\u00e9"]}"#),
            ]
            for (body, data) in accepted {
                let reply = try await router.call(.post, "/v1/events", key: key, body: body)
                #expect(reply.status == .accepted, "\(body): \(String(buffer: reply.body))")
                let id = try #require(JSON(String(buffer: reply.body))["id"].string)
                let event = try await router.call(.get, "/v1/events/\(id)", key: key)
                #expect(String(buffer: event.body).contains(#""data":\#(data)"#), "data is kept as sent: \(body)")
            }
        }
    }

    /// Checks that `reply` is `refusal`'s status with the API's error shape, its code and a message.
    static func expect(_ reply: TestResponse, _ refusal: Refusal) throws {
        let json = JSON(String(buffer: reply.body))
        #expect(reply.status == refusal.status, "\(refusal): \(String(buffer: reply.body).prefix(300))")
        #expect(json["error"]["code"].string == refusal.code, "\(refusal): \(String(buffer: reply.body).prefix(300))")
        #expect(json["error"]["message"].string?.isEmpty == false, "\(refusal)")
        #expect(reply.headers[.contentType] == "application/json", "\(refusal)")
    }
}

extension RouterHarness {
    /// Sends `refusal`'s request.
    func send(_ refusal: RefusalMatrixTests.Refusal) async throws -> TestResponse {
        try await call(refusal.method, refusal.path, key: refusal.key, body: refusal.body, contentType: refusal.contentType)
    }
}
