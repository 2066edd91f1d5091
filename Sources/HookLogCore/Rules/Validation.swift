/// The checks commands' fields must pass before any fact is recorded.
public enum Validation {
    /// The largest event `data` accepted, in bytes (docs/rules.md §1).
    public static let maxEventDataBytes = 256 * 1024
    /// The longest response snippet kept per attempt, in bytes.
    public static let maxSnippetBytes = 1024

    /// An endpoint URL that ``EndpointURL`` parses.
    public static func checkEndpointURL(_ url: String) throws(DecisionError) {
        _ = try EndpointURL(url)
    }

    /// The subscribed event types: at least one; duplicates fold into one, in the platform's order.
    public static func normalizedEvents(_ events: [EventType]) throws(DecisionError) -> [EventType] {
        guard !events.isEmpty else {
            throw DecisionError(.invalidField, "events must name at least one event type")
        }
        return Array(Set(events)).sorted()
    }

    /// The rate limits a webhook may have, in deliveries a second.
    public static let rateLimits = 1...1_000

    /// A webhook's rate limit: a whole number of deliveries a second within ``rateLimits``.
    public static func checkRateLimit(_ limit: Int) throws(DecisionError) {
        guard rateLimits.contains(limit) else {
            throw DecisionError(
                .invalidField,
                "rate_limit must be \(rateLimits.lowerBound) to \(rateLimits.upperBound) deliveries a second, or null for no limit; got \(limit)")
        }
    }

    /// An owner e-mail address: something@something, no white space.
    public static func checkEmail(_ email: String) throws(DecisionError) {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !email.contains(where: \.isWhitespace)
        else {
            throw DecisionError(.invalidField, "owner_email '\(email)' is not an e-mail address")
        }
    }

    /// A workspace name: 1 to 200 characters.
    public static func checkName(_ name: String) throws(DecisionError) {
        guard !name.allSatisfy(\.isWhitespace), name.count <= 200 else {
            throw DecisionError(.invalidField, "name must have 1 to 200 characters")
        }
    }

    /// The response snippet cut to at most 1 KiB, at a character boundary.
    public static func snippet(_ text: String) -> String {
        guard text.utf8.count > maxSnippetBytes else { return text }
        var result = ""
        for character in text {
            guard result.utf8.count + character.utf8.count <= maxSnippetBytes else { break }
            result.append(character)
        }
        return result
    }

    /// The longest client-supplied id (event id, `Idempotency-Key`) accepted, in bytes.
    public static let maxClientIDBytes = 255

    /// A client-supplied id: 1 to 255 bytes of letters, digits and `_ - . : ~`, so that it is safe in an HTTP header
    /// and as an index key.
    public static func checkClientID(_ id: String, field: String) throws(DecisionError) {
        let allowed = id.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || "_-.:~".utf8.contains(byte)
        }
        guard (1...maxClientIDBytes).contains(id.utf8.count), allowed else {
            throw DecisionError(
                .invalidField,
                "\(field) must be 1 to \(maxClientIDBytes) characters of letters, digits and _ - . : ~")
        }
    }
}
