import HookLogCore
import HookLogServer
import HookLogTestSupport
import NIOHTTP1
import Testing

/// docs/rules.md §4.2, keys: a workspace issues, lists and revokes its own API keys; the admin any workspace's.
/// Revoking is effective at once, for the API and for dashboard sessions.
@Suite("API keys")
struct KeyTests {
    @Test("a workspace issues a key shown once, lists its keys without them, and a revoked key stops at once")
    func issueListRevoke() async throws {
        try await withDashboard { server, browser in
            let (workspace, first) = try await server.workspace()
            server.clock.advance(by: .seconds(1))
            let issued = try await server.call(.POST, "/v1/keys", key: first)
            #expect(issued.status == 201, "\(issued.text)")
            let second = try #require(issued.json["key"].string)
            let secondID = try #require(issued.json["id"].string)
            #expect(second.hasPrefix("hk_") && second != first)
            #expect(issued.json["workspace_id"].string == workspace)
            #expect(issued.json["hint"].string == String(second.prefix(7)) + "…")
            #expect(issued.json["created_at"].string == server.clock.now.rfc3339)

            let listed = try await server.call(.GET, "/v1/keys", key: second)
            #expect(listed.status == 200)
            #expect(listed.json["data"].count == 2)
            #expect(listed.json["data"][1]["id"].string == secondID)
            #expect(!listed.text.contains(first) && !listed.text.contains(second), "a list never shows a key")
            let firstID = try #require(listed.json["data"][0]["id"].string)

            try await browser.signIn(first)
            #expect(try await browser.get("/webhooks").status == 200)

            let revoked = try await server.call(.DELETE, "/v1/keys/\(firstID)", key: second)
            #expect(revoked.status == 204, "\(revoked.text)")
            #expect(try await server.call(.GET, "/v1/keys", key: first).status == 401, "the revoked key stops at once")
            #expect(try await browser.get("/webhooks").header("location") == "/", "and so do its dashboard sessions")
            #expect(try await server.call(.GET, "/v1/keys", key: second).json["data"].count == 1)
        }
    }

    @Test("a workspace cannot revoke another workspace's key (404) nor its own last one (409)")
    func refusals() async throws {
        try await withServer { server in
            let (_, mine) = try await server.workspace()
            let (_, theirs) = try await server.workspace(owner: "other@globex.example")
            let theirID = try #require(try await server.call(.GET, "/v1/keys", key: theirs).json["data"][0]["id"].string)
            let foreign = try await server.call(.DELETE, "/v1/keys/\(theirID)", key: mine)
            #expect(foreign.status == 404 && foreign.errorCode == "not_found", "\(foreign.text)")
            #expect(try await server.call(.GET, "/v1/keys", key: theirs).status == 200, "their key still works")

            let myID = try #require(try await server.call(.GET, "/v1/keys", key: mine).json["data"][0]["id"].string)
            let last = try await server.call(.DELETE, "/v1/keys/\(myID)", key: mine)
            #expect(last.status == 409 && last.errorCode == "conflict", "\(last.text)")
            #expect(last.json["error"]["message"].string?.contains("last API key") == true)
            #expect(try await server.call(.GET, "/v1/keys", key: mine).status == 200)
            #expect(try await server.call(.GET, "/v1/keys", key: ServerHarness.adminKey).status == 403)
        }
    }

    @Test("the admin issues, lists and revokes a workspace's keys, its last one included")
    func admin() async throws {
        try await withServer { server in
            let (workspace, key) = try await server.workspace()
            let admin = ServerHarness.adminKey
            let issued = try await server.call(.POST, "/v1/workspaces/\(workspace)/keys", key: admin)
            #expect(issued.status == 201, "\(issued.text)")
            let another = try #require(issued.json["key"].string)
            #expect(try await server.call(.GET, "/v1/keys", key: another).status == 200)
            let listed = try await server.call(.GET, "/v1/workspaces/\(workspace)/keys", key: admin)
            #expect(listed.json["data"].count == 2)
            for entry in listed.json["data"].array {
                let id = try #require(entry["id"].string)
                #expect(try await server.call(.DELETE, "/v1/workspaces/\(workspace)/keys/\(id)", key: admin).status == 204)
            }
            #expect(try await server.call(.GET, "/v1/keys", key: key).status == 401)
            #expect(try await server.call(.GET, "/v1/workspaces/\(workspace)/keys", key: admin).json["data"].count == 0)
            #expect(try await server.call(.GET, "/v1/workspaces/ws_nobody/keys", key: admin).status == 404)
            #expect(try await server.call(.POST, "/v1/workspaces/\(workspace)/keys", key: another).status == 401)
        }
    }

    @Test("a workspace has at most --max-keys-per-workspace keys: one more is 409 limit_reached naming the limit")
    func limit() async throws {
        try await withServer(configure: { $0.maxKeysPerWorkspace = 2 }) { server in
            let (_, key) = try await server.workspace()
            #expect(try await server.call(.POST, "/v1/keys", key: key).status == 201)
            let refused = try await server.call(.POST, "/v1/keys", key: key)
            #expect(refused.status == 409 && refused.errorCode == "limit_reached", "\(refused.text)")
            #expect(refused.json["error"]["message"].string?.contains("--max-keys-per-workspace 2") == true)
        }
    }
}
