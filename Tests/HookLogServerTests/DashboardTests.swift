import Foundation
import HookLogTestSupport
import NIOHTTP1
import Testing

@Suite("The dashboard, through a browser's eyes")
struct DashboardTests {
    @Test("sign in with a workspace key into an HttpOnly, SameSite=Strict session; wrong keys, the admin key and forged forms are refused; sign out ends it")
    func signInAndOut() async throws {
        try await withDashboard { server, browser in
            let (_, key) = try await server.workspace()
            let form = try await browser.get("/")
            #expect(form.status == 200)
            #expect(form.text.contains(#"<label for="key">Workspace API key</label>"#))
            #expect(browser.lastSetCookies.first?.contains("HttpOnly; SameSite=Strict") == true)

            #expect(try await browser.post("/sign-in", [("key", key)], csrf: "forged").status == 403)
            let unknown = try await browser.post("/sign-in", [("key", "hk_nobody")])
            #expect(unknown.status == 401)
            #expect(unknown.text.contains("not a key of any workspace"))
            #expect(unknown.text.contains(#"aria-invalid="true""#))
            let admin = try await browser.post("/sign-in", [("key", ServerHarness.adminKey)])
            #expect(admin.status == 403)
            #expect(admin.text.contains("admin key"))
            #expect(try await browser.post("/sign-in", [("key", "")]).status == 400)

            let signedIn = try await browser.post("/sign-in", [("key", key)])
            #expect(signedIn.status == 303)
            #expect(signedIn.header("location") == "/webhooks")
            let session = try #require(browser.lastSetCookies.first { $0.hasPrefix("hooklog_session=") })
            #expect(session.contains("HttpOnly") && session.contains("SameSite=Strict") && session.contains("Path=/"))
            #expect(!session.contains(key), "the key never goes back to the browser")
            #expect(!session.contains("Secure"), "the harness's public URL is http, so the cookie cannot be Secure")
            #expect(try await browser.get("/").header("location") == "/webhooks")
            let page = try await browser.get("/webhooks")
            #expect(page.status == 200)
            #expect(page.text.contains("Acme · advanced plan"))
            #expect(page.header("content-security-policy")?.contains("default-src 'self'") == true)

            #expect(try await browser.post("/sign-out", csrf: "forged").status == 403, "sign-out needs the CSRF token too")
            let out = try await browser.post("/sign-out")
            #expect(out.status == 303)
            #expect(out.header("location") == "/")
            #expect(try await browser.get("/webhooks").header("location") == "/")
        }
    }

    @Test("a session ends after 12 hours: the browser is sent back to the sign-in form")
    func sessionExpires() async throws {
        try await withDashboard { server, browser in
            let (_, key) = try await server.workspace()
            try await browser.signIn(key)
            #expect(try await browser.get("/webhooks").status == 200)
            server.clock.advance(by: .seconds(12 * 3600 + 1))
            let expired = try await browser.get("/webhooks")
            #expect(expired.status == 303)
            #expect(expired.header("location") == "/")
        }
    }

    @Test("an endpoint the server may not reach (SSRF) is refused at the URL field, as the API refuses it")
    func privateEndpointRefused() async throws {
        try await withDashboard(allowPrivateEndpoints: false) { server, browser in
            let (_, key) = try await server.workspace()
            try await browser.signIn(key)
            _ = try await browser.get("/webhooks")
            let refused = try await browser.post("/webhooks", [("url", "http://127.0.0.1:9/hook"), ("events", "contact.created")])
            #expect(refused.status == 400)
            #expect(refused.text.contains(#"id="url-error""#), "\(refused.text)")
            #expect(try await server.call(.GET, "/v1/webhooks", key: key).json["data"].count == 0)
        }
    }

    @Test("without a session every page sends the browser to the sign-in form, and the stream is 401")
    func signedOutRedirects() async throws {
        try await withDashboard { _, browser in
            for path in ["/webhooks", "/webhooks/wh_x", "/deliveries/dlv_x", "/audit"] {
                let reply = try await browser.get(path)
                #expect(reply.status == 303, "\(path)")
                #expect(reply.header("location") == "/")
            }
            #expect(try await browser.post("/webhooks", [("url", "http://x.example")]).status == 303)
            #expect(try await browser.get("/dashboard/stream").status == 401)
            #expect(try await browser.get("/sign-in").header("location") == "/", "reloading a refused sign-in shows the form")
            #expect(try await browser.get("/dashboard/assets/dashboard.css").status == 200)
            #expect(try await browser.get("/dashboard/assets/nope.css").status == 404)
        }
    }

    @Test("the webhooks page adds a webhook, shows the API's field errors, sends a test event and deletes; forged posts change nothing")
    func webhooksPage() async throws {
        try await withDashboard { server, browser in
            let (_, key) = try await server.workspace()
            try await browser.signIn(key)
            let empty = try await browser.get("/webhooks")
            #expect(empty.text.contains("No webhooks yet"))
            #expect(empty.text.contains("<strong>0 of 30</strong>"))
            #expect(!empty.text.contains(">nil<") && !empty.text.contains("role=\"status\">nil"), "absent values are left out, not shown as nil")

            let badURL = try await browser.post("/webhooks", [("url", "ftp://nope"), ("events", "contact.created")])
            #expect(badURL.status == 400)
            #expect(badURL.text.contains(#"id="url-error""#) && badURL.text.contains("url must start with http:// or https://"))
            #expect(badURL.text.contains(#"value="ftp://nope""#), "what was typed is kept")
            #expect(badURL.text.contains(#"value="contact.created" checked"#))
            let noEvents = try await browser.post("/webhooks", [("url", server.receiver.url("/crm"))])
            #expect(noEvents.status == 400)
            #expect(noEvents.text.contains(#"id="events-error""#))
            let unknownType = try await browser.post("/webhooks", [("url", server.receiver.url("/crm")), ("events", "contact.deleted")])
            #expect(unknownType.status == 422)
            #expect(unknownType.text.contains("is not an event type"))

            let forged = try await browser.post(
                "/webhooks", [("url", server.receiver.url("/crm")), ("events", "contact.created")], csrf: "forged")
            #expect(forged.status == 403)
            let crossSite = try await browser.post(
                "/webhooks", [("url", server.receiver.url("/crm")), ("events", "contact.created")],
                headers: [("origin", "https://evil.example")])
            #expect(crossSite.status == 403)
            #expect(try await server.call(.GET, "/v1/webhooks", key: key).json["data"].count == 0, "forged forms changed nothing")

            let added = try await browser.post(
                "/webhooks", [("url", server.receiver.url("/crm")), ("events", "contact.created"), ("events", "message.sent")])
            #expect(added.status == 303, "\(added.text)")
            let list = try await browser.get(try #require(added.header("location")))
            #expect(list.text.contains("Webhook added."))
            #expect(list.text.contains(server.receiver.url("/crm")))
            #expect(list.text.contains("<li>New Contact <code>contact.created</code></li><li>New Outgoing Message <code>message.sent</code></li>"),
                    "the webhook's event types with the labels the platform gives them")
            #expect(list.text.contains(#"<p class="event-group-name" id="group-calls">Calls</p>"#), "the form's types, grouped")
            #expect(list.text.contains(#"<span class="badge succeeded">active</span>"#))
            let webhook = try #require(try await server.call(.GET, "/v1/webhooks", key: key).json["data"][0]["id"].string)

            let tested = try await browser.post("/webhooks/\(webhook)/test")
            #expect(tested.status == 303)
            #expect(try await browser.get(try #require(tested.header("location"))).text.contains("it answered 204"))
            #expect(try await server.receiver.waitForRequests(count: 1, path: "/crm").count == 1)

            let deleted = try await browser.post("/webhooks/\(webhook)/delete")
            #expect(deleted.header("location") == "/webhooks?notice=deleted")
            #expect(try await server.call(.GET, "/v1/webhooks/\(webhook)", key: key).status == 404)
        }
    }

    @Test("a disabled webhook shows its reason, the error window and Enable; Enable with recovery resumes; the audit shows it all")
    func disableEnableAndAudit() async throws {
        try await withDashboard { server, browser in
            let (_, key) = try await server.workspace()
            let webhook = try await server.webhook(key: key, path: "/crm")
            server.receiver.setBehaviour(.respond(status: 500, body: "down"), forPath: "/crm")
            for index in 0..<8 {
                _ = try await server.call(.POST, "/v1/events", key: key, body: #"{"id": "evt_\#(index)", "type": "contact.created", "data": {}}"#)
            }
            try await server.advance(by: .seconds(30), until: "the webhook is disabled") {
                try await server.call(.GET, "/v1/webhooks/\(webhook)", key: key).json["status"].string == "disabled"
            }
            try await browser.signIn(key)
            let page = try await browser.get("/webhooks")
            #expect(page.text.contains(#"<span class="badge failed">disabled</span>"#))
            #expect(page.text.contains("31 failed attempts"))
            #expect(page.text.contains(#"action="/webhooks/\#(webhook)/enable""#))
            #expect(page.text.contains("also recover skipped events"))

            server.receiver.setBehaviour(.respond(status: 204), forPath: "/crm")
            let enabled = try await browser.post("/webhooks/\(webhook)/enable", [("recover", "on")])
            #expect(enabled.status == 303)
            let after = try await browser.get(try #require(enabled.header("location")))
            #expect(after.text.contains("1 skipped delivery is queued again"), "\(after.text)")
            #expect(after.text.contains(#"<span class="badge succeeded">active</span>"#))
            _ = try await server.receiver.waitForRequests(count: 32, path: "/crm")

            let audit = try await browser.get("/audit")
            #expect(audit.status == 200)
            #expect(audit.text.contains(#"<span class="pill">500: 31</span>"#), "\(audit.text)")
            #expect(audit.text.contains("<td data-label=\"What\">disabled</td>"))
            #expect(audit.text.contains("<td data-label=\"What\">enabled</td>"))
            #expect(audit.text.contains("skipped deliveries recovered"))
        }
    }

    @Test("the event log lists deliveries newest first with badges, filters them, pages them, and charts the last hour")
    func eventLog() async throws {
        try await withDashboard { server, browser in
            let (_, key) = try await server.workspace()
            let webhook = try await server.webhook(key: key, path: "/crm", events: ["contact.created", "message.sent"])
            for index in 0..<30 {
                let type = index.isMultiple(of: 3) ? "message.sent" : "contact.created"
                _ = try await server.call(.POST, "/v1/events", key: key, body: #"{"id": "evt_\#(index)", "type": "\#(type)", "data": {"n": \#(index), "source": "crm+web"}}"#)
            }
            _ = try await server.receiver.waitForRequests(count: 30, path: "/crm")
            // The receiver sees a request before the engine records its attempt: wait for the records themselves.
            try await eventually("30 recorded successes") {
                try await server.call(.GET, "/v1/webhooks/\(webhook)/deliveries?status=succeeded&limit=100", key: key).json["data"].count == 30
            }
            try await browser.signIn(key)
            let first = try await browser.get("/webhooks/\(webhook)")
            #expect(first.status == 200)
            let newest = try #require(first.text.range(of: ">evt_29<")), older = try #require(first.text.range(of: ">evt_28<"))
            #expect(newest.lowerBound < older.lowerBound, "newest first")
            #expect(!first.text.contains(">evt_4<"), "25 to a page")
            #expect(first.text.contains(#"<span class="badge succeeded">succeeded</span>"#))
            #expect(first.text.contains("30 successful and 0 failed attempts in the last hour"))
            let olderLink = try #require(first.text.range(of: #"href="[^"]*before=\d+""#, options: .regularExpression))
            let olderPath = String(first.text[olderLink].dropFirst(6).dropLast()).replacingOccurrences(of: "&amp;", with: "&")
            #expect(!first.text.contains(">Newest<"), "the first page has no link back to itself")
            let second = try await browser.get(olderPath)
            #expect(second.text.contains(">Newest<"))
            #expect(!second.text.contains("Older deliveries"), "the last page has no older link")
            #expect(second.text.contains(">evt_4<") && second.text.contains(">evt_0<") && !second.text.contains(">evt_5<"))

            let sent = try await browser.get("/webhooks/\(webhook)?type=message.sent")
            #expect(sent.text.contains(">evt_27<") && !sent.text.contains(">evt_28<"))
            #expect(sent.text.contains(#"<option value="message.sent" selected>"#))
            #expect(try await browser.get("/webhooks/\(webhook)?status=retrying").text.contains("No deliveries match."))
            let future = try await browser.get("/webhooks/\(webhook)?since=2099-01-01T00:00")
            #expect(future.text.contains("No deliveries match."))
            #expect(future.text.contains(#"value="2099-01-01T00:00""#))

            let searched = try await browser.get("/webhooks/\(webhook)?q=27")
            #expect(searched.text.contains(">evt_27<") && !searched.text.contains(">evt_29<"))
            #expect(searched.text.contains(#"name="q" type="search" value="27""#), "the box keeps the search")
            #expect(try await browser.get("/webhooks/\(webhook)?q=").text.contains(">evt_29<"), "a blank box searches nothing")
            #expect(try await browser.get("/webhooks/\(webhook)?q=source").text.contains("No deliveries match."), "keys never match")
            #expect(try await browser.get("/webhooks/\(webhook)?q=crm+web").text.contains("No deliveries match."), "+ is a space")
            let plus = try await browser.get("/webhooks/\(webhook)?q=crm%2Bweb")
            #expect(plus.text.contains(">evt_29<") && !plus.text.contains(">evt_4<"), "25 of the 30 to a page")
            let olderSearch = try #require(plus.text.range(of: #"href="[^"]*before=\d+""#, options: .regularExpression))
            let olderSearchPath = String(plus.text[olderSearch].dropFirst(6).dropLast()).replacingOccurrences(of: "&amp;", with: "&")
            #expect(olderSearchPath.contains("q=crm%2Bweb"), "the page links keep the plus sign")
            let olderSearched = try await browser.get(olderSearchPath)
            #expect(olderSearched.text.contains(">evt_4<") && olderSearched.text.contains(">evt_0<") && !olderSearched.text.contains(">evt_5<"))

            let badStatus = try await browser.get("/webhooks/\(webhook)?status=lost")
            #expect(badStatus.status == 400)
            #expect(badStatus.text.contains("&#39;lost&#39; is not a delivery state") || badStatus.text.contains("is not a delivery state"))
            #expect(try await browser.get("/webhooks/\(webhook)?since=yesterday").status == 400)
            #expect(try await browser.get("/webhooks/\(webhook)?since=2026-02-01T00:00&until=2026-01-01T00:00").status == 400)
        }
    }

    @Test("a delivery shows its attempts, the event's JSON and the signed headers without the secret, and redelivers")
    func deliveryPage() async throws {
        try await withDashboard { server, browser in
            let (_, key) = try await server.workspace()
            let webhook = try await server.webhook(key: key, path: "/crm")
            server.receiver.setBehaviour(.respond(status: 503, body: "busy <b>now</b>"), forPath: "/crm")
            let posted = try await server.call(.POST, "/v1/events", key: key, body: #"{"id": "evt_one", "type": "contact.created", "data": {"name": "Ada"}}"#)
            let delivery = try #require(posted.json["deliveries"][0]["id"].string)
            _ = try await server.receiver.waitForRequests(count: 1, path: "/crm")
            try await eventually("the failed attempt recorded") {
                try await server.call(.GET, "/v1/deliveries/\(delivery)", key: key).json["attempts"].count == 1
            }
            let secret = try #require(try await server.call(.GET, "/v1/webhooks/\(webhook)", key: key).json["secret"].string)

            try await browser.signIn(key)
            let page = try await browser.get("/deliveries/\(delivery)")
            #expect(page.status == 200)
            #expect(page.text.contains(#"<span class="badge retrying">retrying</span>"#))
            #expect(page.text.contains("HTTP 503"))
            #expect(page.text.contains("next try 20"), "a retrying attempt says when the next one is due")
            #expect(!page.text.contains("Redelivery of"), "an original delivery is not a redelivery")
            #expect(page.text.contains("busy &lt;b&gt;now&lt;/b&gt;"), "the snippet is escaped")
            #expect(page.text.contains("&quot;name&quot;") && page.text.contains("&quot;Ada&quot;"), "\(page.text)")
            #expect(page.text.contains("<code>evt_one</code>"))
            #expect(page.text.contains("HMAC-SHA256"))
            #expect(!page.text.contains(secret), "never the secret")

            let redelivered = try await browser.post("/deliveries/\(delivery)/redeliver")
            #expect(redelivered.status == 303)
            let location = try #require(redelivered.header("location"))
            #expect(location.hasPrefix("/deliveries/") && location != "/deliveries/\(delivery)")
            #expect(try await browser.get(location).text.contains("Redelivery of"))
        }
    }

    @Test("another workspace's webhooks and deliveries are 404 on every page and form; a plan below advanced is told plan_required")
    func tenancyAndPlan() async throws {
        try await withDashboard { server, browser in
            let (_, alice) = try await server.workspace()
            let (bobID, bob) = try await server.workspace()
            let webhook = try await server.webhook(key: alice, path: "/alice")
            let posted = try await server.call(.POST, "/v1/events", key: alice, body: #"{"type": "contact.created", "data": {}}"#)
            let delivery = try #require(posted.json["deliveries"][0]["id"].string)
            try await browser.signIn(bob)
            _ = try await browser.get("/webhooks")
            for path in ["/webhooks/\(webhook)", "/deliveries/\(delivery)"] {
                let reply = try await browser.get(path)
                #expect(reply.status == 404, "\(path)")
                #expect(reply.text.contains("not_found"))
            }
            for path in ["/webhooks/\(webhook)/enable", "/webhooks/\(webhook)/test", "/webhooks/\(webhook)/delete", "/deliveries/\(delivery)/redeliver"] {
                #expect(try await browser.post(path).status == 404, "\(path)")
            }
            #expect(try await server.call(.GET, "/v1/webhooks/\(webhook)", key: alice).status == 200)

            _ = try await server.call(.PATCH, "/v1/workspaces/\(bobID)", key: ServerHarness.adminKey, body: #"{"plan": "growth"}"#)
            let below = try await browser.get("/webhooks")
            #expect(below.status == 403)
            #expect(below.text.contains("plan_required") && below.text.contains("advanced plan"))
        }
    }

    @Test("the dashboard's stream sends the workspace's new records to a signed-in browser")
    func liveStream() async throws {
        try await withDashboard { server, browser in
            let (_, key) = try await server.workspace()
            try await browser.signIn(key)
            let cookie = browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            var stream = try await EventStream(server, path: "/dashboard/stream", headers: [("cookie", cookie)])
            #expect(try await stream.untilLive().isEmpty, "the stream starts at the newest record")
            _ = try await server.call(.POST, "/v1/events", key: key, body: #"{"id": "evt_live", "type": "contact.created", "data": {}}"#)
            let received = try await stream.events(1)
            #expect(received.map(\.type) == ["EventReceived"])
            #expect(received.first?.data.contains("evt_live") == true)
        }
    }
}
