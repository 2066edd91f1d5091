import HookLogCore
import Testing

/// Which texts of an event's data a search matches (docs/rules.md §4.2, `?q=`).
@Suite("The texts of event data a search matches")
struct DataSearchTests {
    func texts(_ json: String) -> Set<String> {
        var texts: Set<String> = []
        DataSearch.forEachSearchableText(in: Array(json.utf8)) { texts.insert(String(decoding: $0, as: UTF8.self)) }
        return texts
    }

    @Test("strings with their escapes undone and numbers as written, at any depth; keys, booleans and null never")
    func valuesNotKeys() {
        let json = #"""
            { "contact" : { "id" : "c_1", "emails" : [ "a@x.example", { "kind" : "b@x.example" } ] },
              "n": -4.50e+1, "m": 0, "ok": true, "no": false, "none": null, "esc": "tab\there \"q\" \\ caf\u00e9 \ud83d\ude00",
              "empty": "", "nested": [[["deep"]], {"k": {"k": "k"}}] }
            """#
        #expect(texts(json) == [
            "c_1", "a@x.example", "b@x.example", "-4.50e+1", "0", "tab\there \"q\" \\ café 😀", "deep", "k",
        ])
    }

    @Test("a value longer than a search can be is not searchable; a match is of the whole text, byte for byte")
    func wholeTextOnly() {
        let long = String(repeating: "x", count: DataSearch.maxTextBytes + 1)
        let longest = String(repeating: "y", count: DataSearch.maxTextBytes)
        #expect(texts(#"{"a":"\#(long)","b":"\#(longest)"}"#) == [longest])
        let data = Array(#"{"email":"Ada@Example.com","id":"c_12"}"#.utf8)
        #expect(DataSearch.data(data, holds: Array("Ada@Example.com".utf8)))
        #expect(!DataSearch.data(data, holds: Array("ada@example.com".utf8)))
        #expect(!DataSearch.data(data, holds: Array("c_1".utf8)))
        #expect(!DataSearch.data(data, holds: Array("email".utf8)))
    }
}
