/// A typed, prefixed identifier such as `wh_3kq9…` or `evt_…`.
///
/// The phantom `Kind` keeps a webhook id from being passed where an event id is expected.
public struct Identifier<Kind: IdentifierKind>: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    /// The full identifier text, prefix included.
    public let rawValue: String

    /// Wraps an identifier's text as it was stored or received; no validation.
    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// The kind of thing an ``Identifier`` names, and the prefix its generated ids carry.
public protocol IdentifierKind: Sendable {
    /// The prefix of generated identifiers, underscore included (`"wh_"`).
    static var prefix: String { get }
}

/// Marker for workspace identifiers (`ws_…`).
public enum WorkspaceKind: IdentifierKind { public static let prefix = "ws_" }
/// Marker for webhook identifiers (`wh_…`).
public enum WebhookKind: IdentifierKind { public static let prefix = "wh_" }
/// Marker for event identifiers (`evt_…`).
public enum EventKind: IdentifierKind { public static let prefix = "evt_" }
/// Marker for delivery identifiers (`dlv_…`).
public enum DeliveryKind: IdentifierKind { public static let prefix = "dlv_" }
/// Marker for API key identifiers (`key_…`).
public enum ApiKeyKind: IdentifierKind { public static let prefix = "key_" }

/// Identifies a workspace.
public typealias WorkspaceID = Identifier<WorkspaceKind>
/// Identifies a webhook.
public typealias WebhookID = Identifier<WebhookKind>
/// Identifies an event.
public typealias EventID = Identifier<EventKind>
/// Identifies a delivery: one event for one webhook.
public typealias DeliveryID = Identifier<DeliveryKind>
/// Identifies an API key (not the key itself).
public typealias ApiKeyID = Identifier<ApiKeyKind>
