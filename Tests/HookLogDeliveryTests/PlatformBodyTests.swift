import Foundation
import HookLogCore
import HookLogDelivery
import Testing

/// docs/rules.md §2, "The platform's format": a `respondio` webhook receives the platform's flat body, `event_type`
/// and `event_id` followed by the event data's top-level members exactly as they were received.
@Suite("The platform's flat body")
struct PlatformBodyTests {
    static func event(data: String, type: EventType = .contactCreated) -> EventReceived {
        EventReceived(
            eventID: EventID("evt_42"), workspaceID: WorkspaceID("ws_acme"), type: type,
            occurredAt: Timestamp(milliseconds: 1_799_999_000_123), data: Array(data.utf8), idempotencyKey: nil,
            deliveries: [])
    }

    static func flatBody(_ data: String, type: EventType = .contactCreated) -> String {
        String(decoding: WebhookPayload.body(of: event(data: data, type: type), format: .respondio), as: UTF8.self)
    }

    @Test("the envelope comes first, then the data's members in their order, their text untouched")
    func membersFollowTheEnvelope() throws {
        let body = Self.flatBody(#"{ "contact" : {"id": 7, "email":"zoë@acme.example"},"tags":["vip"] ,"score":1.50e0,"#
            + #""note":"a \"quoted\" \u00e9","empty":{},"none":null}"#)
        #expect(body == #"{"event_type":"contact.created","event_id":"evt_42","contact":{"id": 7, "email":"zoë@acme.example"},"#
            + #""tags":["vip"],"score":1.50e0,"note":"a \"quoted\" \u00e9","empty":{},"none":null}"#)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        #expect(parsed["note"] as? String == "a \"quoted\" é")
        #expect(parsed["workspace_id"] == nil && parsed["occurred_at"] == nil, "no field of HookLog's own")
    }

    @Test("data members named event_type or event_id, however their keys are escaped, give way to the envelope's")
    func theEnvelopeWins() throws {
        let body = Self.flatBody(
            #"{"event_type":"spoofed","id":"c1","event\u005fid":"spoofed too","nested":{"event_type":"kept"}}"#,
            type: .callEnded)
        #expect(body == #"{"event_type":"call.ended","event_id":"evt_42","id":"c1","nested":{"event_type":"kept"}}"#)
    }

    @Test("an empty object gives the envelope alone; strings with brackets and escapes inside do not end a member early")
    func edgesOfTheData() {
        #expect(Self.flatBody("{}") == #"{"event_type":"contact.created","event_id":"evt_42"}"#)
        #expect(Self.flatBody(#"{"text":"}],{\\\"","after":[1,{"b":"]"}]}"#)
            == #"{"event_type":"contact.created","event_id":"evt_42","text":"}],{\\\"","after":[1,{"b":"]"}]}"#)
    }
}
