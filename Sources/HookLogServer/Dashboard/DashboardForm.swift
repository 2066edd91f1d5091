import Hummingbird
import NIOCore

/// Reading the dashboard's HTML forms (`application/x-www-form-urlencoded`) with Hummingbird's
/// `URLEncodedFormDecoder`.
enum DashboardForm {
    /// The most a form body may hold.
    static let maxBytes = 64 << 10

    /// Decodes `request`'s form as `type`, keeping the collected body in `request` so it can be decoded again. A
    /// body that is too large is 413, one that is not a form 415, a malformed one 400.
    static func decode<T: Decodable>(_ type: T.Type, from request: inout Request) async throws -> T {
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/x-www-form-urlencoded") else {
            throw APIError(.unsupportedMediaType, "unsupported_media_type", "send the form as application/x-www-form-urlencoded")
        }
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: maxBytes)
        } catch is NIOTooManyBytesError {
            throw APIError(.contentTooLarge, "payload_too_large", "the form is larger than \(maxBytes) bytes")
        }
        do {
            return try URLEncodedFormDecoder().decode(type, from: listingRepeatedNames(String(buffer: body)))
        } catch let error as URLEncodedFormError {
            throw APIError.invalidField("the form is malformed: \(error.description)")
        } catch let error as DecodingError {
            throw APIError.invalidField("the form is malformed: \(error)")
        }
    }

    /// The names HTML repeats for a set of checkboxes, one pair per box ticked (`events=a&events=b`), written as
    /// the list Hummingbird's decoder reads (`events[]=a&events[]=b`).
    private static let repeatedNames: Set<Substring> = ["events"]

    private static func listingRepeatedNames(_ text: String) -> String {
        text.split(separator: "&").map { pair in
            let name = pair.prefix { $0 != "=" }
            return repeatedNames.contains(name) ? "\(name)[]\(pair.dropFirst(name.count))" : String(pair)
        }.joined(separator: "&")
    }

    /// Whether a POST came from a page of this server, when the browser says (`Origin`); a browser that sends no
    /// `Origin` is judged by its CSRF token alone.
    static func isSameOrigin(_ request: Request) -> Bool {
        guard let origin = request.headers[.origin] else { return true }
        guard let host = request.head.authority else { return false }
        return origin == "http://\(host)" || origin == "https://\(host)"
    }
}
