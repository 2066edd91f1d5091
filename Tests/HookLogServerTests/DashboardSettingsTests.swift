import HookLogTestSupport
import NIOHTTP1
import Testing

/// A webhook's format and rate limit on the dashboard: chosen when it is added, shown in the list and on its event
/// log with the signing key of the platform's format, and changed with its settings form.
@Suite("The dashboard's webhook settings")
struct DashboardSettingsTests {
    @Test("add in the platform's format at 5 a second → list and event log show both and the signing key → settings change them")
    func formatAndRateLimit() async throws {
        try await withDashboard { server, browser in
            let (_, key) = try await server.workspace()
            try await browser.signIn(key)
            let form = try await browser.get("/webhooks")
            #expect(form.text.contains(#"<option value="standard" selected>Standard Webhooks</option>"#), "standard unless chosen")

            let badLimit = try await browser.post(
                "/webhooks", [("url", server.receiver.url("/crm")), ("events", "contact.created"), ("format", "respondio"),
                              ("rate_limit", "0")])
            #expect(badLimit.status == 400)
            #expect(badLimit.text.contains(#"id="settings-error""#) && badLimit.text.contains("rate_limit must be 1 to 1000"))
            #expect(badLimit.text.contains(#"<option value="respondio" selected>"#), "the chosen format is kept")
            #expect(try await server.call(.GET, "/v1/webhooks", key: key).json["data"].count == 0)

            let added = try await browser.post(
                "/webhooks", [("url", server.receiver.url("/crm")), ("events", "contact.created"), ("format", "respondio"),
                              ("rate_limit", "5")])
            #expect(added.status == 303, "\(added.text)")
            let list = try await browser.get("/webhooks")
            #expect(list.text.contains("respond.io (flat body, X-Webhook-Signature) · at most 5 a second"), "\(list.text)")
            let api = try await server.call(.GET, "/v1/webhooks", key: key).json["data"][0]
            let webhook = try #require(api["id"].string)
            #expect(api["format"].string == "respondio" && api["rate_limit"].int == 5)
            let signingKey = try #require(api["signing_key"].string)

            let page = try await browser.get("/webhooks/\(webhook)")
            #expect(page.text.contains(#"<code id="signing-key">\#(signingKey)</code>"#))
            #expect(page.text.contains("at most 5 deliveries a second"))

            let saved = try await browser.post("/webhooks/\(webhook)/settings", [("format", "standard"), ("rate_limit", "")])
            #expect(saved.header("location") == "/webhooks/\(webhook)?notice=saved")
            let after = try await browser.get("/webhooks/\(webhook)?notice=saved")
            #expect(after.text.contains("Settings saved."))
            #expect(!after.text.contains("signing-key"), "the standard format has no signing key to show")
            #expect(after.text.contains("<dt>Rate limit</dt><dd>none</dd>"))
            let changed = try await server.call(.GET, "/v1/webhooks/\(webhook)", key: key)
            #expect(changed.json["format"].string == "standard" && changed.text.contains(#""rate_limit":null"#))

            let forged = try await browser.post("/webhooks/\(webhook)/settings", [("format", "respondio")], csrf: "forged")
            #expect(forged.status == 403)
            #expect(try await server.call(.GET, "/v1/webhooks/\(webhook)", key: key).json["format"].string == "standard")
        }
    }
}
