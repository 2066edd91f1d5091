import Foundation
import HookLogCore
import Hummingbird

/// Reads a request's query parameters, refusing malformed ones with `invalid_field` errors that name them.
struct QueryReader {
    private let parameters: [String: String]
    /// The query as the request sent it, percent-encoded.
    private let rawQuery: String

    /// The query of `request` (the last value of a repeated name wins).
    init(_ request: Request) {
        var parameters: [String: String] = [:]
        for (name, value) in request.uri.queryParameters { parameters[String(name)] = String(value) }
        self.parameters = parameters
        rawQuery = request.uri.query ?? ""
    }

    /// The text to search event data for (`q`, ``DataSearch``), read as a form encodes it (`+` is a space, `%2B` a
    /// plus sign); nil when absent. Refused when empty, unless `blankIsAbsent` (a form's field left blank), or longer
    /// than ``DataSearch/maxTextBytes`` bytes of UTF-8.
    func searchText(blankIsAbsent: Bool = false) throws(APIError) -> String? {
        let name = "q"
        let encoded = rawQuery.split(separator: "&").last { $0.split(separator: "=", maxSplits: 1).first == Substring(name) }
        guard let encoded else { return nil }
        let value = encoded.dropFirst(name.count + 1).replacing("+", with: " ")
        guard let text = value.removingPercentEncoding else {
            throw .invalidField("\(name) is not percent-encoded UTF-8")
        }
        if text.isEmpty {
            if blankIsAbsent { return nil }
            throw .invalidField("\(name) must not be empty: give the text of a value in the events' data")
        }
        guard text.utf8.count <= DataSearch.maxTextBytes else {
            throw .invalidField("\(name) must be at most \(DataSearch.maxTextBytes) bytes of UTF-8, not \(text.utf8.count)")
        }
        return text
    }

    /// A parameter's text, nil when absent or empty.
    func string(_ name: String) -> String? {
        parameters[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A time in RFC 3339.
    func time(_ name: String) throws(APIError) -> Timestamp? {
        guard let text = string(name) else { return nil }
        return try Timestamp.parse(text, field: name)
    }

    /// `true` or `false`.
    func bool(_ name: String) throws(APIError) -> Bool? {
        switch string(name) {
        case nil: return nil
        case "true": return true
        case "false": return false
        case let text?: throw .invalidField("\(name) must be true or false, not '\(text)'")
        }
    }

    /// A whole number in `range`.
    func integer(_ name: String, in range: ClosedRange<Int>) throws(APIError) -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw .invalidField("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text)'")
        }
        return value
    }

    /// A page size: 1 to 500, 50 when absent.
    func limit() throws(APIError) -> Int {
        try integer("limit", in: 1...500) ?? 50
    }

    /// A cursor from a previous page: a log sequence, as text.
    func cursor(_ name: String = "cursor") throws(APIError) -> UInt64? {
        guard let text = string(name) else { return nil }
        guard let value = UInt64(text) else { throw .invalidField("\(name) '\(text)' is not a cursor this API gave") }
        return value
    }

    /// A since/until pair, refused when `since` is after `until`.
    func timeRange() throws(APIError) -> (since: Timestamp?, until: Timestamp?) {
        let (since, until) = (try time("since"), try time("until"))
        if let since, let until, since > until { throw .invalidField("since must not be after until") }
        return (since, until)
    }
}
