import Foundation
import HookLogTestSupport
import NIOHTTP1
import Testing

/// docs/rules.md §2, "The platform's format", over HTTP: a webhook created or switched to `respondio` receives the
/// platform's flat body, signed with `X-Webhook-Signature` under the signing key the API shows.
@Suite("The platform's format, over HTTP")
struct PlatformFormatTests {
    @Test("create in respondio → flat body a platform receiver accepts → switch to standard → today's body, no platform header")
    func formatStory() async throws {
        try await withServer { server in
            let (workspace, key) = try await server.workspace()
            let created = try await server.call(
                .POST, "/v1/webhooks", key: key,
                body: #"{"url": "\#(server.receiver.url("/crm"))", "events": ["contact.created"], "format": "respondio"}"#)
            #expect(created.status == 201, "\(created.text)")
            #expect(created.json["format"].string == "respondio")
            let webhook = try #require(created.json["id"].string)
            let secret = try #require(created.json["secret"].string)
            let signingKey = try #require(created.json["signing_key"].string)
            #expect("whsec_" + signingKey == secret, "the signing key is the secret's text after whsec_")

            let accepted = try await server.call(
                .POST, "/v1/events", key: key,
                body: #"{"id": "evt_flat", "type": "contact.created", "data": {"event_type": "ignored", "contact": {"id": 7}, "email": "ada@acme.example"}}"#)
            #expect(accepted.status == 202, "\(accepted.text)")
            let flat = try #require(try await server.receiver.waitForRequests(count: 1, path: "/crm").first)
            #expect(String(decoding: flat.body, as: UTF8.self)
                == #"{"event_type":"contact.created","event_id":"evt_flat","contact":{"id": 7},"email":"ada@acme.example"}"#)
            #expect(!String(decoding: flat.body, as: UTF8.self).contains(workspace), "the platform's body has no workspace id")
            #expect(try ReferenceSignatureVerifier.verifyPlatformSignature(signingKey: signingKey, headers: flat.headers, body: flat.body)
                == .accepted)
            #expect(flat.header("webhook-signature")?.hasPrefix("v1,") == true, "the Standard Webhooks headers come too")
            try await server.settle()
            let delivery = try await server.call(.GET, "/v1/webhooks/\(webhook)/deliveries", key: key)
            #expect(delivery.json["data"][0]["state"].string == "succeeded", "\(delivery.text)")

            let switched = try await server.call(.PATCH, "/v1/webhooks/\(webhook)", key: key, body: #"{"format": "standard"}"#)
            #expect(switched.status == 200, "\(switched.text)")
            #expect(switched.json["format"].string == "standard")
            #expect(!switched.text.contains("signing_key"), "only the platform's format has a signing key: \(switched.text)")
            _ = try await server.call(
                .POST, "/v1/events", key: key, body: #"{"id": "evt_standard", "type": "contact.created", "data": {"n": 1}}"#)
            let standard = try await server.receiver.waitForRequests(count: 2, path: "/crm")[1]
            #expect(String(decoding: standard.body, as: UTF8.self).hasPrefix(#"{"id":"evt_standard","type":"contact.created""#))
            #expect(standard.header("x-webhook-signature") == nil)
        }
    }

    @Test("an unknown format is refused on create and on change, and nothing changes")
    func unknownFormatsAreRefused() async throws {
        try await withServer { server in
            let (_, key) = try await server.workspace()
            let url = server.receiver.url("/crm")
            for format in [#""xml""#, #""Respondio""#, "1", "null"] {
                let refused = try await server.call(
                    .POST, "/v1/webhooks", key: key, body: #"{"url": "\#(url)", "events": ["contact.created"], "format": \#(format)}"#)
                #expect(refused.status == (format == "null" ? 201 : 400), "\(format): \(refused.text)")
                if format != "null" { #expect(refused.errorCode == "invalid_field", "\(format): \(refused.text)") }
            }
            let webhook = try await server.webhook(key: key, path: "/crm")
            let refused = try await server.call(.PATCH, "/v1/webhooks/\(webhook)", key: key, body: #"{"format": "xml"}"#)
            #expect(refused.status == 400 && refused.errorCode == "invalid_field", "\(refused.text)")
            #expect(refused.json["error"]["message"].string?.contains("standard, respondio") == true, "\(refused.text)")
            #expect(try await server.call(.GET, "/v1/webhooks/\(webhook)", key: key).json["format"].string == "standard")
        }
    }
}
