import Foundation
import NIOHTTP1
import HookLogTestSupport
import Testing

@Suite("Keys, tenancy and errors")
struct AccessAndErrorTests {
    @Test("a workspace key never reads or changes another workspace's data: 404 for its ids, its own records only")
    func tenancyIsolation() async throws {
        try await withServer { server in
            let (_, alice) = try await server.workspace()
            let (_, bob) = try await server.workspace()
            let webhook = try await server.webhook(key: alice, path: "/alice")
            let posted = try await server.call(.POST, "/v1/events", key: alice, body: #"{"id": "evt_secret", "type": "contact.created", "data": {}}"#)
            let delivery = try #require(posted.json["deliveries"][0]["id"].string)
            let foreign: [(HTTPMethod, String, String?)] = [
                (.GET, "/v1/webhooks/\(webhook)", nil), (.PATCH, "/v1/webhooks/\(webhook)", #"{"events": ["message.sent"]}"#),
                (.DELETE, "/v1/webhooks/\(webhook)", nil), (.POST, "/v1/webhooks/\(webhook)/enable", nil),
                (.POST, "/v1/webhooks/\(webhook)/test", nil), (.POST, "/v1/webhooks/\(webhook)/recover", nil),
                (.GET, "/v1/webhooks/\(webhook)/deliveries", nil), (.GET, "/v1/webhooks/\(webhook)/audit", nil),
                (.GET, "/v1/events/evt_secret", nil), (.GET, "/v1/deliveries/\(delivery)", nil),
                (.POST, "/v1/deliveries/\(delivery)/redeliver", nil),
            ]
            for (method, path, body) in foreign {
                let reply = try await server.call(method, path, key: bob, body: body)
                #expect(reply.status == 404, "\(method) \(path) as another workspace: \(reply.text)")
                #expect(reply.errorCode == "not_found")
            }
            #expect(try await server.call(.GET, "/v1/webhooks", key: bob).json["data"].count == 0)
            let bobsLog = try await server.call(.GET, "/v1/log?limit=500", key: bob)
            #expect(!bobsLog.text.contains("evt_secret") && !bobsLog.text.contains(webhook))
            let alicesLog = try await server.call(.GET, "/v1/log?limit=500", key: alice)
            #expect(alicesLog.text.contains("evt_secret"))
            #expect(try await server.call(.GET, "/v1/webhooks/\(webhook)", key: alice).status == 200, "nothing was changed")
        }
    }

    @Test("without a valid key 401; the admin key only on admin routes and workspace keys only on theirs: 403")
    func authentication() async throws {
        try await withServer { server in
            let (workspace, key) = try await server.workspace()
            for reply in [
                try await server.call(.GET, "/v1/webhooks"),
                try await server.call(.GET, "/v1/webhooks", key: "hk_not_a_key"),
                try await server.call(.POST, "/v1/workspaces", body: "{}"),
            ] {
                #expect(reply.status == 401)
                #expect(reply.errorCode == "unauthorized")
                #expect(reply.header("www-authenticate") == "Bearer")
            }
            let adminOnWorkspace = try await server.call(.GET, "/v1/webhooks", key: ServerHarness.adminKey)
            #expect(adminOnWorkspace.status == 403)
            #expect(adminOnWorkspace.errorCode == "forbidden")
            let workspaceOnAdmin = try await server.call(.PATCH, "/v1/workspaces/\(workspace)", key: key, body: #"{"plan": "enterprise"}"#)
            #expect(workspaceOnAdmin.status == 403)
            let changed = try await server.call(.PATCH, "/v1/workspaces/\(workspace)", key: ServerHarness.adminKey, body: #"{"plan": "starter"}"#)
            #expect(changed.status == 200)
            #expect(changed.json["plan"].string == "starter")
            let belowPlan = try await server.call(.GET, "/v1/webhooks", key: key)
            #expect(belowPlan.status == 403)
            #expect(belowPlan.errorCode == "plan_required")
            let stillIngests = try await server.call(.POST, "/v1/events", key: key, body: #"{"type": "contact.created", "data": {}}"#)
            #expect(stillIngests.status == 202, "events below advanced are still recorded")
            #expect(stillIngests.json["deliveries"].count == 0)
        }
    }

    @Test("every bad input gets its status and code, and nothing stored is changed by it")
    func errorCodes() async throws {
        try await withServer { server in
            let (_, key) = try await server.workspace()
            let webhook = try await server.webhook(key: key, path: "/hook")
            let before = try await server.call(.GET, "/v1/log?limit=500", key: ServerHarness.adminKey).text
            let bigData = #"{"type": "contact.created", "data": {"blob": ""# + String(repeating: "x", count: 300_000) + #""}}"#
            let cases: [(HTTPMethod, String, String?, [(String, String)], Int, String)] = [
                (.POST, "/v1/webhooks", "{not json", [], 400, "invalid_json"),
                (.POST, "/v1/webhooks", "[1, 2]", [], 400, "invalid_json"),
                (.POST, "/v1/webhooks", #"{"events": ["contact.created"]}"#, [], 400, "invalid_field"),
                (.POST, "/v1/webhooks", #"{"url": "ftp://example.com/x", "events": ["contact.created"]}"#, [], 400, "invalid_field"),
                (.POST, "/v1/webhooks", #"{"url": "https://user:pw@example.com/x", "events": ["contact.created"]}"#, [], 400, "invalid_field"),
                (.POST, "/v1/webhooks", #"{"url": "https://example.com/x", "events": []}"#, [], 400, "invalid_field"),
                (.POST, "/v1/webhooks", #"{"url": "https://example.com/x", "events": ["contact.deleted"]}"#, [], 422, "unknown_event_type"),
                (.GET, "/v1/webhooks/wh_nope", nil, [], 404, "not_found"),
                (.GET, "/v1/nothing-here", nil, [], 404, "not_found"),
                (.PUT, "/v1/webhooks/\(webhook)", "{}", [], 405, "method_not_allowed"),
                (.GET, "/v1/webhooks/\(webhook)/deliveries?limit=0", nil, [], 400, "invalid_field"),
                (.GET, "/v1/webhooks/\(webhook)/deliveries?limit=501", nil, [], 400, "invalid_field"),
                (.GET, "/v1/webhooks/\(webhook)/deliveries?status=lost", nil, [], 400, "invalid_field"),
                (.GET, "/v1/webhooks/\(webhook)/deliveries?since=yesterday", nil, [], 400, "invalid_field"),
                (.GET, "/v1/webhooks/\(webhook)/deliveries?cursor=abc", nil, [], 400, "invalid_field"),
                (.POST, "/v1/events", #"{"type": "contact.exploded", "data": {}}"#, [], 422, "unknown_event_type"),
                (.POST, "/v1/events", #"{"type": "contact.created", "data": [1]}"#, [], 400, "invalid_field"),
                (.POST, "/v1/events", #"{"type": "contact.created"}"#, [], 400, "invalid_field"),
                (.POST, "/v1/events", #"{"id": "evt with spaces", "type": "contact.created", "data": {}}"#, [], 400, "invalid_field"),
                (.POST, "/v1/events", #"{"events": []}"#, [], 400, "invalid_field"),
                (.POST, "/v1/events", #"{"events": [{"type": "contact.created", "data": {}}, {"type": "nope", "data": {}}]}"#, [], 422, "unknown_event_type"),
                (.POST, "/v1/events", bigData, [], 413, "payload_too_large"),
                (.POST, "/v1/events", #"{"type": "contact.created", "data": {}}"#, [("content-type", "text/plain")], 415, "unsupported_media_type"),
            ]
            for (method, path, body, headers, status, code) in cases {
                let reply = try await server.call(method, path, key: key, body: body, headers: headers)
                #expect(reply.status == status, "\(method) \(path) \(body?.prefix(80) ?? ""): \(reply.text.prefix(300))")
                #expect(reply.errorCode == code, "\(method) \(path): \(reply.text.prefix(300))")
                #expect(reply.json["error"]["message"].string?.isEmpty == false)
            }
            let tooMany = "{\"events\": [" + Array(repeating: #"{"type": "contact.created", "data": {}}"#, count: 1001).joined(separator: ",") + "]}"
            #expect(try await server.call(.POST, "/v1/events", key: key, body: tooMany).errorCode == "invalid_field")
            let huge = #"{"type": "contact.created", "data": {"blob": ""# + String(repeating: "x", count: 5 << 20) + #""}}"#
            let hugeReply = try await server.call(.POST, "/v1/events", key: key, body: huge)
            #expect(hugeReply.status == 413)
            let after = try await server.call(.GET, "/v1/log?limit=500", key: ServerHarness.adminKey).text
            #expect(before == after, "refused requests record nothing")
        }
    }

    @Test("a saturated write queue answers 429 with Retry-After")
    func saturation() async throws {
        try await withTemporaryDirectory { directory in
            let server = try await ServerHarness(directory: directory, maxWriteBacklog: 0)
            let reply = try await server.call(
                .POST, "/v1/workspaces", key: ServerHarness.adminKey, body: #"{"name": "A", "plan": "advanced", "owner_email": "a@b.example"}"#)
            #expect(reply.status == 429)
            #expect(reply.errorCode == "rate_limited")
            #expect(reply.header("retry-after") == "1")
            try await server.stop()
        }
    }

    @Test("endpoints on private, loopback or link-local addresses are refused unless allowed")
    func privateEndpointsRefused() async throws {
        try await withServer(allowPrivateEndpoints: false) { server in
            let (_, key) = try await server.workspace()
            for url in ["http://127.0.0.1:8080/x", "http://10.1.2.3/x", "http://[::1]/x", "http://169.254.169.254/latest", "http://localhost/x", "http://192.168.0.1/x"] {
                let reply = try await server.call(.POST, "/v1/webhooks", key: key, body: #"{"url": "\#(url)", "events": ["contact.created"]}"#)
                #expect(reply.status == 400, "\(url): \(reply.text)")
                #expect(reply.errorCode == "invalid_field")
                #expect(reply.json["error"]["message"].string?.contains("allow-private-endpoints") == true, "\(reply.text)")
            }
            for url in ["http://93.184.216.34/x", "https://[2606:4700:4700::1111]/x"] {
                let reply = try await server.call(.POST, "/v1/webhooks", key: key, body: #"{"url": "\#(url)", "events": ["contact.created"]}"#)
                #expect(reply.status == 201, "a public address is accepted: \(url): \(reply.text)")
            }
        }
    }
}
