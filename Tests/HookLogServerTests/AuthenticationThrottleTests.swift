import HookLogServer
import HookLogTestSupport
import NIOHTTP1
import Testing

/// docs/rules.md §4.3 and operations.md "Keys and sign-in": after 20 failed authentications in a minute from one
/// address, its requests without a valid key get 429 for a minute, unchecked; valid keys still pass.
@Suite("Throttling failed authentication")
struct AuthenticationThrottleTests {
    @Test("the 21st wrong key in a minute is 429 with Retry-After, as is a request without a key; a valid key passes; a minute later it is 401 again")
    func throttles() async throws {
        try await withServer { server in
            let (_, key) = try await server.workspace()
            for attempt in 1...20 {
                let wrong = try await server.call(.GET, "/v1/keys", key: "hk_guess\(attempt)")
                #expect(wrong.status == 401, "attempt \(attempt): \(wrong.text)")
            }
            let throttled = try await server.call(.GET, "/v1/keys", key: "hk_guess21")
            #expect(throttled.status == 429 && throttled.errorCode == "rate_limited", "\(throttled.text)")
            #expect(throttled.header("retry-after") == "60")
            #expect(throttled.json["error"]["message"].string?.contains("20 a minute") == true, "\(throttled.text)")
            #expect(try await server.call(.GET, "/v1/keys").status == 429, "a request without a key is refused too")
            #expect(try await server.call(.GET, "/v1/keys", key: key).status == 200, "a valid key still passes")
            #expect(try await server.call(.GET, "/metrics").text.contains("\nhooklog_auth_throttled_addresses 1.0\n"))

            server.clock.advance(by: .seconds(30))
            #expect(try await server.call(.GET, "/v1/keys", key: "hk_guess").header("retry-after") == "30")
            server.clock.advance(by: .seconds(30))
            #expect(try await server.call(.GET, "/v1/keys", key: "hk_guess").status == 401, "the minute is over")
        }
    }

    @Test("the dashboard's sign-in counts and is refused the same way")
    func signIn() async throws {
        try await withDashboard { server, browser in
            let (_, key) = try await server.workspace()
            for attempt in 1...20 {
                #expect(try await browser.signIn("hk_guess\(attempt)").status == 401)
            }
            let refused = try await browser.signIn("hk_guess21")
            #expect(refused.status == 429)
            #expect(refused.header("retry-after") == "60")
            #expect(refused.text.contains("too many failed authentications"))
            #expect(try await browser.signIn(key).status == 303, "a valid key still signs in")
        }
    }

    @Test("behind a trusted proxy the client is the right-most untrusted X-Forwarded-For address")
    func trustedProxy() async throws {
        let proxies = try #require(TrustedProxies(parsing: "10.0.0.0/8, 127.0.0.1"))
        try await withServer(configure: { $0.trustedProxies = proxies }) { server in
            let (_, key) = try await server.workspace()
            let attacker = [("x-forwarded-for", "198.51.100.1, 203.0.113.7, 10.1.2.3")]
            for attempt in 1...20 {
                _ = try await server.call(.GET, "/v1/keys", key: "hk_guess\(attempt)", headers: attacker)
            }
            #expect(try await server.call(.GET, "/v1/keys", key: "hk_guess", headers: attacker).status == 429)
            let spoofedLeft = [("x-forwarded-for", "203.0.113.99, 203.0.113.7")]
            #expect(try await server.call(.GET, "/v1/keys", key: "hk_guess", headers: spoofedLeft).status == 429,
                    "what the client wrote to the left of the proxy's entry does not change its address")
            let neighbour = [("x-forwarded-for", "203.0.113.8")]
            #expect(try await server.call(.GET, "/v1/keys", key: "hk_guess", headers: neighbour).status == 401)
            #expect(try await server.call(.GET, "/v1/keys", key: key, headers: attacker).status == 200)
        }
    }

    @Test("without a trusted proxy X-Forwarded-For is ignored: changing it does not escape the limit")
    func untrustedHeader() async throws {
        try await withServer { server in
            for attempt in 1...20 {
                _ = try await server.call(
                    .GET, "/v1/keys", key: "hk_guess\(attempt)", headers: [("x-forwarded-for", "203.0.113.\(attempt)")])
            }
            let refused = try await server.call(.GET, "/v1/keys", key: "hk_guess", headers: [("x-forwarded-for", "203.0.113.200")])
            #expect(refused.status == 429)
        }
    }

    @Test("trusted proxies are addresses or CIDR blocks; anything else does not parse")
    func parsing() {
        #expect(TrustedProxies(parsing: "10.0.0.0/8,192.168.1.1, fd00::/8, ::1") != nil)
        for bad in ["10.0.0.0/33", "proxy.example", "10.0.0.0/8,", "fd00::/129", "1.2.3"] {
            #expect(TrustedProxies(parsing: bad) == nil, "\(bad)")
        }
    }
}
