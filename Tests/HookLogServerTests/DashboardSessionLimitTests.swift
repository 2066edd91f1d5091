import HookLogServer
import HookLogTestSupport
import NIOHTTP1
import Testing

/// docs/operations.md, "Dashboard sessions": sessions are bounded per key and in total, and end when idle.
@Suite("Dashboard session limits")
struct DashboardSessionLimitTests {
    @Test("a key's 17th sign-in ends its oldest session; the others stay signed in")
    func perKey() async throws {
        try await withServer { server in
            let (_, key) = try await server.workspace()
            let browsers = (0..<17).map { _ in DashboardBrowser(server) }
            for browser in browsers { #expect(try await browser.signIn(key).status == 303) }
            #expect(try await browsers[0].get("/webhooks").header("location") == "/", "the oldest session was ended")
            for browser in browsers.dropFirst() { #expect(try await browser.get("/webhooks").status == 200) }
            #expect(try await server.call(.GET, "/metrics").text.contains("\nhooklog_dashboard_sessions 16.0\n"))
            for browser in browsers { try await browser.shutdown() }
        }
    }

    @Test("beyond --max-dashboard-sessions a sign-in ends the least recently used session of any key")
    func total() async throws {
        try await withServer(configure: { $0.maxDashboardSessions = 2 }) { server in
            let (_, first) = try await server.workspace()
            let (_, second) = try await server.workspace(owner: "b@globex.example")
            let (a, b, c) = (DashboardBrowser(server), DashboardBrowser(server), DashboardBrowser(server))
            try await a.signIn(first)
            server.clock.advance(by: .seconds(1))
            try await b.signIn(second)
            server.clock.advance(by: .seconds(1))
            #expect(try await a.get("/webhooks").status == 200, "a is now used more recently than b")
            try await c.signIn(first)
            #expect(try await b.get("/webhooks").header("location") == "/")
            #expect(try await a.get("/webhooks").status == 200)
            #expect(try await c.get("/webhooks").status == 200)
            for browser in [a, b, c] { try await browser.shutdown() }
        }
    }

    @Test("a session used within --session-idle-timeout stays; one left idle longer ends")
    func idle() async throws {
        try await withServer(configure: { $0.sessionIdleTimeout = .seconds(3600) }) { server in
            let (_, key) = try await server.workspace()
            let browser = DashboardBrowser(server)
            try await browser.signIn(key)
            for _ in 0..<3 {
                server.clock.advance(by: .seconds(3599))
                #expect(try await browser.get("/webhooks").status == 200, "used within the hour, it goes on")
            }
            server.clock.advance(by: .seconds(3600))
            #expect(try await browser.get("/webhooks").header("location") == "/")
            try await browser.shutdown()
        }
    }
}
