import HookLogTestSupport
import NIOHTTP1
import Testing

@Suite("The whole story, over HTTP")
struct WebhookStoryTests {
    @Test("create → deliver → fail until the 31st error disables → e-mail → enable with recovery → delivered")
    func wholeStory() async throws {
        let sink = try await SMTPSink()
        defer { sink.stop() }
        try await withServer(smtpPort: sink.port) { server in
            let (workspace, key) = try await server.workspace(owner: "ops@acme.example")
            let webhook = try await server.webhook(key: key, path: "/crm", events: ["contact.created", "message.sent"])

            let accepted = try await server.call(
                .POST, "/v1/events", key: key,
                body: #"{"id": "evt_hello", "type": "contact.created", "data": {"name": "Ada", "tags": ["vip"]}}"#)
            #expect(accepted.status == 202, "\(accepted.text)")
            #expect(accepted.json["id"].string == "evt_hello")
            #expect(accepted.json["workspace_id"].string == workspace)
            #expect(accepted.json["deliveries"][0]["webhook_id"].string == webhook)
            let received = try await server.receiver.waitForRequests(count: 1, path: "/crm")
            #expect(received[0].header("webhook-id") == "evt_hello")
            #expect(String(decoding: received[0].body, as: UTF8.self).contains(#""data":{"name": "Ada", "tags": ["vip"]}"#),
                    "data is delivered exactly as it was sent")
            try await server.settle()
            let log = try await server.call(.GET, "/v1/webhooks/\(webhook)/deliveries", key: key)
            #expect(log.status == 200)
            #expect(log.json["data"][0]["event_id"].string == "evt_hello")
            #expect(log.json["data"][0]["state"].string == "succeeded")
            #expect(log.json["data"][0]["attempts"][0]["status_code"].int == 204)

            server.receiver.setBehaviour(.respond(status: 500, body: "database down"), forPath: "/crm")
            for index in 0..<8 {
                let reply = try await server.call(
                    .POST, "/v1/events", key: key, body: #"{"id": "evt_f\#(index)", "type": "message.sent", "data": {"n": \#(index)}}"#)
                #expect(reply.status == 202)
            }
            try await server.settle()
            let retrying = try await server.call(.GET, "/v1/webhooks/\(webhook)/deliveries?status=retrying", key: key)
            #expect(retrying.json["data"].count == 1, "the head is retried; the rest wait behind it")
            #expect(retrying.json["data"][0]["attempts"][0]["status_code"].int == 500)
            #expect(retrying.json["data"][0]["attempts"][0]["response_snippet"].string == "database down")
            #expect(retrying.json["data"][0]["attempts"][0]["next_attempt_at"].string != nil)

            try await server.advance(by: .seconds(30), until: "the webhook is disabled") {
                try await server.call(.GET, "/v1/webhooks/\(webhook)", key: key).json["status"].string == "disabled"
            }
            let disabled = try await server.call(.GET, "/v1/webhooks/\(webhook)", key: key)
            #expect(disabled.json["disabled_reason"].string?.contains("31 failed attempts") == true, "\(disabled.text)")
            let audit = try await server.call(.GET, "/v1/webhooks/\(webhook)/audit", key: key)
            #expect(audit.json["failures"].int == 31)
            #expect(audit.json["failures_by_status"]["500"].int == 31)
            #expect(audit.json["dropped"].int == 7)
            #expect(audit.json["status_changes"][0]["kind"].string == "disabled")
            #expect(audit.json["status_changes"][0]["error_count"].int == 31)

            let mails = try await sink.waitForMessages(count: 2)
            #expect(mails.allSatisfy { $0.recipients == ["ops@acme.example"] })
            #expect(mails.allSatisfy { $0.body.contains(webhook) })
            try await server.settle()
            let subjects = try sink.messages().compactMap { $0.header("Subject") }
            #expect(subjects.count { $0.contains("was disabled") } == 1, "exactly one e-mail per disable: \(subjects)")
            #expect(subjects.count { $0.contains("20 of 30 failed attempts") } == 1, "and one early warning at 20")

            let refusedRecovery = try await server.call(.POST, "/v1/webhooks/\(webhook)/recover", key: key)
            #expect(refusedRecovery.status == 409)
            #expect(refusedRecovery.errorCode == "conflict")

            server.receiver.setBehaviour(.respond(status: 204), forPath: "/crm")
            let enabled = try await server.call(.POST, "/v1/webhooks/\(webhook)/enable?recover=true", key: key)
            #expect(enabled.status == 200, "\(enabled.text)")
            #expect(enabled.json["webhook"]["status"].string == "active")
            #expect(enabled.json["recovered"].int == 1, "the delivery skipped at the disable is queued again")
            let recovered = try await server.call(.POST, "/v1/webhooks/\(webhook)/recover", key: key)
            #expect(recovered.status == 202, "\(recovered.text)")
            #expect(recovered.json["recovered"].int == 7, "the seven dropped deliveries are queued again")

            let delivered = try await server.receiver.waitForRequests(count: 1 + 31 + 8, path: "/crm")
            let afterEnable = delivered.suffix(8).compactMap { $0.header("webhook-id") }
            #expect(afterEnable == ["evt_f7"] + (0..<7).map { "evt_f\($0)" }, "recovered deliveries go out in the order they were queued")
            try await server.settle()
            let final = try await server.call(.GET, "/v1/webhooks/\(webhook)/deliveries?type=message.sent&limit=500", key: key)
            #expect(final.json["data"].array.allSatisfy { $0["state"].string == "succeeded" }, "\(final.text)")
            #expect(final.json["data"].count == 8)
            let event = try await server.call(.GET, "/v1/events/evt_f0", key: key)
            #expect(event.json["data"]["n"].int == 0)
            #expect(event.json["deliveries"][0]["attempts"].count == 5, "four failures, then the recovered success")
        }
    }
}
