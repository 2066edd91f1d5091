import HookLogTestSupport
import NIOHTTP1
import Testing

/// docs/rules.md §2.4 over HTTP, the early warning: when the workspace's error window reaches 20 of 30, its owner is
/// e-mailed once, with the count, the limit, the failing webhooks, their last errors and links to their event logs;
/// the e-mail is in the log, and a try the mail server did not take is recorded and retried.
@Suite("The early-warning e-mail, over HTTP")
struct EarlyWarningStoryTests {
    @Test("two failing endpoints reach 20 of 30: one warning e-mail, retried while the mail server is down, in the log and the audit")
    func theOwnerIsWarnedOnceBeforeTheBudgetRunsOut() async throws {
        let refusing = RefusingPort()
        let smtpPort = refusing.port
        try await withServer(smtpPort: smtpPort) { server in
            let (_, key) = try await server.workspace(owner: "ops@acme.example")
            let crm = try await server.webhook(key: key, path: "/crm", events: ["contact.created"])
            let chat = try await server.webhook(key: key, path: "/chat", events: ["message.sent"])
            server.receiver.setBehaviour(.respond(status: 500, body: "database down"), forPath: "/crm")
            server.receiver.setBehaviour(.respond(status: 503, body: "maintenance until noon"), forPath: "/chat")
            for index in 0..<6 {
                for type in ["contact.created", "message.sent"] {
                    let reply = try await server.call(
                        .POST, "/v1/events", key: key, body: #"{"id": "evt_\#(type)_\#(index)", "type": "\#(type)", "data": {}}"#)
                    #expect(reply.status == 202)
                }
            }
            let recordTypes = { () async throws -> [String] in
                try await server.call(.GET, "/v1/log?limit=500", key: key).json["data"].array.compactMap { $0["type"].string }
            }

            try await server.advance(by: .seconds(30), until: "the window reaches the warning threshold") {
                try await recordTypes().contains("WarningThresholdReached")
            }
            let log = try await server.call(.GET, "/v1/log?limit=500", key: key).json["data"].array
            let reached = try #require(log.first { $0["type"].string == "WarningThresholdReached" })
            #expect(reached["error_count"].int == 20)
            #expect(reached["warn_at"].int == 20)
            #expect(reached["error_limit"].int == 30)
            let failuresBefore = log.prefix { $0["type"].string != "WarningThresholdReached" }
                .filter { $0["type"].string == "AttemptFailed" }
            #expect(failuresBefore.count == 20, "it is decided with the 20th failure")

            try await server.advance(by: .seconds(1), until: "the first try is recorded as failed: no mail server listens yet") {
                try await recordTypes().contains("WarningNotificationFailed")
            }
            let failedTry = try #require(try await server.call(.GET, "/v1/log?limit=500", key: key).json["data"].array
                .first { $0["type"].string == "WarningNotificationFailed" })
            #expect(failedTry["recipient"].string == "ops@acme.example")
            #expect(failedTry["attempt"].int == 1)
            #expect(failedTry["error"].string?.isEmpty == false)

            let sink = try await SMTPSink(on: refusing)
            defer { sink.stop() }
            try await server.advance(by: .seconds(30), until: "the retry is taken by the mail server") {
                try await recordTypes().contains("WarningNotificationSent")
            }
            let mails = try await sink.waitForMessages(count: 1)
            #expect(mails[0].recipients == ["ops@acme.example"])
            #expect(mails[0].header("Subject") == "HookLog: 20 of 30 failed attempts in workspace Acme")
            let body = mails[0].body
            #expect(body.contains("Failed attempts in the last 30 minutes: 20 of 30"), "\(body)")
            #expect(body.contains(crm) && body.contains(chat), "both failing webhooks are listed")
            #expect(body.contains("HTTP 500") && body.contains("response: database down"), "the last error of each")
            #expect(body.contains("HTTP 503") && body.contains("response: maintenance until noon"))
            #expect(body.contains("http://hooklog.example/webhooks/\(crm)\n"), "a link to each one's event log")
            #expect(body.contains("http://hooklog.example/webhooks/\(chat)\n"))

            let audit = try await server.call(.GET, "/v1/webhooks/\(crm)/audit", key: key)
            #expect(audit.json["error_window"]["warn_at"].int == 20, "\(audit.text)")
            #expect(audit.json["error_window"]["warning"]["error_count"].int == 20)
            #expect(audit.json["error_window"]["warning"]["email"].string == "sent")

            try await server.advance(by: .seconds(30), until: "the 31st failure disables a webhook") {
                try await recordTypes().contains("WebhookDisabled")
            }
            _ = try await sink.waitForMessages(count: 2)
            try await server.settle()
            let types = try await recordTypes()
            #expect(types.count { $0 == "WarningThresholdReached" } == 1, "one warning per crossing")
            #expect(types.count { $0 == "WarningNotificationSent" } == 1)
            let subjects = try sink.messages().compactMap { $0.header("Subject") }
            #expect(subjects.count { $0.contains("failed attempts in workspace") } == 1, "\(subjects)")
            let disables = types.count { $0 == "WebhookDisabled" }
            #expect(disables >= 1)
            try await eventually("one disable e-mail per disabled webhook still comes") {
                try sink.messages().count { $0.header("Subject")?.contains("was disabled") == true } == disables
            }
        }
    }
}
