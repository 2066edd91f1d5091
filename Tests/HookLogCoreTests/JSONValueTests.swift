import Foundation
import HookLogCore
import Testing

@Suite("JSON written by the log's views and the API")
struct JSONValueTests {
    @Test("strings that need escaping round-trip through a JSON parser; plain ones are written as they are", arguments: [
        "evt_01", "plain text with spaces", #"a "quoted" word"#, #"back\slash"#, "line\nbreak\r\ttab", "bell \u{07} and nul \u{00}",
        "é, 日本, and 🦄", "",
    ])
    func stringsRoundTrip(_ text: String) throws {
        let written = JSONValue.array([.string(text)]).text
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(written.utf8)) as? [String])
        #expect(parsed == [text], "\(written)")
        #expect(!written.utf8.contains { $0 < 0x20 }, "control characters are escaped: \(written)")
    }

    @Test("objects keep their keys' order, raw JSON is written as received, and nulls are explicit")
    func objectsAndRaw() {
        let value = JSONValue.object([
            ("z", .int(-3)), ("a", .bool(true)), ("data", .raw(Array(#"{"b": [1, 2.5e3]}"#.utf8))), ("none", .null),
            ("list", .array([])),
        ])
        #expect(value.text == #"{"z":-3,"a":true,"data":{"b": [1, 2.5e3]},"none":null,"list":[]}"#)
    }

    @Test("a writer puts commas between items and colons after keys at every depth, empty containers included")
    func writerSeparatesItems() {
        var json = JSONWriter()
        json.object { json in
            json.key("events")
            json.array { json in
                for id in ["evt_1", "evt_2"] {
                    json.object { json in
                        json.member("id", id)
                        json.key("deliveries")
                        json.array { _ in }
                    }
                }
            }
            json.key("empty")
            json.object { _ in }
            json.key("mixed")
            json.array { json in
                json.int(7)
                json.null()
                json.value(.object([("a", .array([.bool(false), .string("é\n")]))]))
                json.raw(Array("[1]".utf8))
            }
        }
        #expect(String(decoding: json.bytes, as: UTF8.self) == #"""
            {"events":[{"id":"evt_1","deliveries":[]},{"id":"evt_2","deliveries":[]}],"empty":{},\#
            "mixed":[7,null,{"a":[false,"é\n"]},[1]]}
            """#)
    }
}
