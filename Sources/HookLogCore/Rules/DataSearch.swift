/// The search of a webhook's deliveries by their event data (docs/rules.md §4.2, `?q=`): a text matches an event whose
/// `data` holds it as the whole text of a value, anywhere in the JSON, nested objects and arrays included. A string
/// matches by its text once its escapes are undone (`"ada@example.com"`, `"caf\u00e9"` as `café`), a number by its
/// text as it was written (`4.50` matches `4.50`, not `4.5`). Keys never match, and neither do `true`, `false` and
/// `null`, which most events hold and which would find nothing in particular.
public enum DataSearch {
    /// The longest text a search takes, in UTF-8 bytes; a longer value of an event can never be searched for.
    public static let maxTextBytes = 256

    /// Calls `body` with each text of `data` a search can match, in the order they come, as often as they come: its
    /// strings and numbers of 1 to ``maxTextBytes`` bytes.
    public static func forEachSearchableText(in data: [UInt8], _ body: ([UInt8]) -> Void) {
        var scanner = JSONScalarScanner(data)
        while let text = scanner.nextValueText() {
            if !text.isEmpty && text.count <= maxTextBytes { body(text) }
        }
    }

    /// Whether `data` holds `text` as the whole text of one of its strings or numbers.
    public static func data(_ data: [UInt8], holds text: [UInt8]) -> Bool {
        var scanner = JSONScalarScanner(data)
        while let value = scanner.nextValueText() {
            if value == text { return true }
        }
        return false
    }
}
