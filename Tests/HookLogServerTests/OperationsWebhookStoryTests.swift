import Foundation
import HookLogCore
import HookLogTestSupport
import NIOHTTP1
import Testing

/// docs/rules.md §2.8 over HTTP: a workspace sets its operations webhook, and HookLog POSTs it signed messages when
/// a webhook is disabled, enabled or given a new secret; a failing operations endpoint is retried and dropped
/// outside the error budget.
@Suite("Operations webhook, over HTTP")
struct OperationsWebhookStoryTests {
    @Test("PUT → a disable, an enable and a rotation each POST a message signed with the operations webhook's secret")
    func signedMessages() async throws {
        try await withServer { server in
            let (workspace, key) = try await server.workspace()
            #expect(try await server.call(.GET, "/v1/operations-webhook", key: key).errorCode == "not_found")
            #expect(try await server.call(.DELETE, "/v1/operations-webhook", key: key).status == 404)

            let set = try await server.setOperationsWebhook(key: key, path: "/elsewhere")
            #expect(set.status == 200, "\(set.text)")
            let secret = try #require(set.json["secret"].string)
            #expect(secret.hasPrefix("whsec_"))
            #expect(set.json["workspace_id"].string == workspace)
            #expect(set.json["pending_messages"].int == 0)
            let moved = try await server.setOperationsWebhook(key: key, path: "/ops")
            #expect(moved.json["url"].string == server.receiver.url("/ops"))
            #expect(moved.json["secret"].string == secret, "a later PUT keeps the secret")

            let webhook = try await server.webhook(key: key, path: "/crm")
            server.receiver.setBehaviour(.respond(status: 410), forPath: "/crm")
            let accepted = try await server.call(
                .POST, "/v1/events", key: key, body: #"{"type": "contact.created", "data": {}}"#)
            #expect(accepted.status == 202)
            let disabled = try await server.operationsMessage(1, secret: secret)
            #expect(disabled.json["type"].string == "webhook.disabled")
            #expect(disabled.json["workspace_id"].string == workspace)
            #expect(disabled.json["data"]["webhook_id"].string == webhook)
            #expect(disabled.json["data"]["reason"].string == "the endpoint answered 410 Gone")
            #expect(disabled.json["id"].string == disabled.delivery.id, "webhook-id is the message's id")
            #expect(disabled.delivery.id.hasPrefix("op_"))

            #expect(try await server.call(.POST, "/v1/webhooks/\(webhook)/enable", key: key).status == 200)
            let enabled = try await server.operationsMessage(2, secret: secret)
            #expect(enabled.json["type"].string == "webhook.enabled")
            #expect(enabled.json["data"]["webhook_id"].string == webhook)

            #expect(try await server.call(.POST, "/v1/webhooks/\(webhook)/rotate-secret", key: key).status == 200)
            let rotated = try await server.operationsMessage(3, secret: secret)
            #expect(rotated.json["type"].string == "webhook.secret_rotated")
            #expect(rotated.json["data"]["previous_secret_expires_at"].string != nil)

            try await server.settle()
            let read = try await server.call(.GET, "/v1/operations-webhook", key: key)
            #expect(read.json["pending_messages"].int == 0, "\(read.text)")
            #expect(read.text.contains(#""succeeded":true"#))
            #expect(read.json["last_attempt"]["message_id"].string == rotated.delivery.id)
            #expect(try await server.call(.DELETE, "/v1/operations-webhook", key: key).status == 204)
            #expect(try await server.call(.GET, "/v1/operations-webhook", key: key).status == 404)
        }
    }

    @Test("An operations endpoint answering 500 is retried at +30, +60 and +90 s, then dropped; the error window stays empty")
    func retriedThenDroppedOutsideTheBudget() async throws {
        try await withServer { server in
            let (_, key) = try await server.workspace()
            let webhook = try await server.webhook(key: key, path: "/crm")
            server.receiver.setBehaviour(.respond(status: 500, body: "ops down"), forPath: "/ops")
            #expect(try await server.setOperationsWebhook(key: key, path: "/ops").status == 200)

            #expect(try await server.call(.POST, "/v1/webhooks/\(webhook)/rotate-secret", key: key).status == 200)
            _ = try await server.receiver.waitForRequests(count: 1, path: "/ops")
            try await server.settle()
            let retrying = try await server.call(.GET, "/v1/operations-webhook", key: key)
            #expect(retrying.json["pending_messages"].int == 1)
            #expect(retrying.json["last_attempt"]["status_code"].int == 500, "\(retrying.text)")
            #expect(retrying.json["next_attempt_at"].string == server.clock.now.adding(.seconds(30)).rfc3339)

            for (count, delay) in [(2, 30), (3, 60), (4, 90)] {
                server.clock.advance(by: .seconds(Int64(delay)))
                _ = try await server.receiver.waitForRequests(count: count, path: "/ops")
                try await server.settle()
            }
            let requests = server.receiver.requests(path: "/ops")
            #expect(requests.count == 4)
            #expect(Set(requests.map { $0.header("webhook-id") }).count == 1, "the same message every time")
            #expect(Set(requests.map(\.body)).count == 1, "with the same body")

            let dropped = try await server.call(.GET, "/v1/operations-webhook", key: key)
            #expect(dropped.json["pending_messages"].int == 0, "\(dropped.text)")
            #expect(dropped.json["dropped_messages"].int == 1)
            #expect(dropped.json["last_attempt"]["number"].int == 4)
            let audit = try await server.call(.GET, "/v1/webhooks/\(webhook)/audit", key: key)
            #expect(audit.json["error_window"]["count"].int == 0, "\(audit.text)")
            #expect(try await server.call(.GET, "/v1/webhooks/\(webhook)", key: key).json["status"].string == "active")
            let log = try await server.call(.GET, "/v1/log?limit=500", key: key)
            #expect(log.text.contains(#""type":"OperationsMessageDropped""#), "\(log.text)")
            #expect(!log.text.contains(#""secret""#), "the log views never show the secret")
        }
    }

    @Test("A bad URL is 400, another workspace sees none, and a plan without webhooks is 403")
    func refusals() async throws {
        try await withServer(allowPrivateEndpoints: false) { server in
            let (_, key) = try await server.workspace()
            for url in ["ftp://ops.example/in", "not a url", "http://127.0.0.1:9/ops"] {
                let refused = try await server.call(.PUT, "/v1/operations-webhook", key: key, body: #"{"url": "\#(url)"}"#)
                #expect(refused.status == 400 && refused.errorCode == "invalid_field", "\(url): \(refused.text)")
            }
            #expect(try await server.call(.PUT, "/v1/operations-webhook", key: key, body: "{}").status == 400)
            #expect(try await server.call(.GET, "/v1/operations-webhook", key: key).status == 404)
        }
        try await withServer { server in
            let (_, key) = try await server.workspace()
            let (_, otherKey) = try await server.workspace()
            #expect(try await server.setOperationsWebhook(key: key, path: "/ops").status == 200)
            #expect(try await server.call(.GET, "/v1/operations-webhook", key: otherKey).status == 404)
            #expect(try await server.call(.DELETE, "/v1/operations-webhook", key: otherKey).status == 404)
            #expect(try await server.call(.GET, "/v1/operations-webhook", key: key).status == 200)
            let (_, growthKey) = try await server.workspace(plan: "growth")
            let growth = try await server.setOperationsWebhook(key: growthKey, path: "/ops")
            #expect(growth.status == 403 && growth.errorCode == "plan_required", "\(growth.text)")
        }
    }
}

extension ServerHarness {
    /// Sets the workspace's operations webhook to the receiver's `path`.
    func setOperationsWebhook(key: String, path: String) async throws -> APIClient.Reply {
        try await call(.PUT, "/v1/operations-webhook", key: key, body: #"{"url": "\#(receiver.url(path))"}"#)
    }

    /// Waits for the receiver's `count`-th request at `/ops`, checks its signature against `secret`, and returns it
    /// with its body's JSON.
    func operationsMessage(_ count: Int, secret: String) async throws -> (delivery: SignedDelivery, json: JSON) {
        let request = try await receiver.waitForRequests(count: count, path: "/ops")[count - 1]
        let delivery = try SignedDelivery(request)
        #expect(delivery.verifies(with: secret), "signed with the operations webhook's secret")
        return (delivery, JSON(String(decoding: request.body, as: UTF8.self)))
    }
}
