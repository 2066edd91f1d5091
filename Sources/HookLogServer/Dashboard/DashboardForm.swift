import Foundation
import Hummingbird
import NIOCore

/// A submitted HTML form (`application/x-www-form-urlencoded`): its fields, a repeated name keeping every value.
struct DashboardForm: Sendable {
    /// The most a form body may hold.
    static let maxBytes = 64 << 10

    private let fields: [(name: String, value: String)]

    /// Parses `text` (`a=1&b=two+words&c=%2F`).
    init(_ text: String) {
        fields = text.split(separator: "&").compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]) else { return nil }
            return (name, parts.count > 1 ? Self.decode(parts[1]) ?? "" : "")
        }
    }

    /// The form of `request`; a body that is too large or not a form is refused.
    static func of(_ request: Request) async throws -> DashboardForm {
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("application/x-www-form-urlencoded") else {
            throw APIError(.unsupportedMediaType, "unsupported_media_type", "send the form as application/x-www-form-urlencoded")
        }
        do {
            return DashboardForm(String(buffer: try await request.body.collect(upTo: maxBytes)))
        } catch is NIOTooManyBytesError {
            throw APIError(.contentTooLarge, "payload_too_large", "the form is larger than \(maxBytes) bytes")
        }
    }

    /// The last value of `name`, nil when absent.
    subscript(name: String) -> String? {
        fields.last { $0.name == name }?.value
    }

    /// Every value of `name`, in order.
    func all(_ name: String) -> [String] {
        fields.filter { $0.name == name }.map(\.value)
    }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
