/// A typed, prefixed identifier such as `wh_3kq9…` or `evt_…`.
///
/// The phantom `Kind` keeps a webhook id from being passed where an event id is expected.
public struct Identifier<Kind: IdentifierKind>: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    /// How an id is held: a generated id (its kind's prefix and 20 characters of Crockford base32) as its 100 bits
    /// (``IdentifierLayout``), in 16 bytes with no allocation, and any other id as its text. An id is generated
    /// exactly when its text is of that form, so two ids are equal exactly when their texts are.
    private enum Storage: Hashable, Sendable {
        /// The first 64 of the 100 bits, and the last 36 in the low bits of `low`.
        case generated(high: UInt64, low: UInt64)
        case text(String)
    }

    private static var lowBits: Int { 36 }

    private let storage: Storage

    /// Wraps an identifier's text as it was stored or received; no validation.
    public init(_ rawValue: String) {
        storage = PackedIdentifier.bits(of: rawValue, prefix: Kind.prefix).map(Self.storage(ofGenerated:)) ?? .text(rawValue)
    }

    /// The generated id of these 100 bits.
    init(generated bits: UInt128) {
        storage = Self.storage(ofGenerated: bits)
    }

    private static func storage(ofGenerated bits: UInt128) -> Storage {
        .generated(high: UInt64(truncatingIfNeeded: bits >> lowBits), low: UInt64(truncatingIfNeeded: bits) & (1 << lowBits - 1))
    }

    /// The 100 bits of a generated id; nil for any other.
    var generatedBits: UInt128? {
        guard case .generated(let high, let low) = storage else { return nil }
        return Self.bits(high: high, low: low)
    }

    private static func bits(high: UInt64, low: UInt64) -> UInt128 {
        UInt128(high) << lowBits | UInt128(low)
    }

    /// The full identifier text, prefix included.
    public var rawValue: String {
        switch storage {
        case .generated(let high, let low): PackedIdentifier.text(of: Self.bits(high: high, low: low), prefix: Kind.prefix)
        case .text(let text): text
        }
    }

    public var description: String { rawValue }

    /// A generated id hashes as its two words alone, without its storage's case: no generated id equals a textual
    /// one, and the state's dictionaries hash an id at every record they fold.
    public func hash(into hasher: inout Hasher) {
        switch storage {
        case .generated(let high, let low):
            hasher.combine(high)
            hasher.combine(low)
        case .text(let text):
            hasher.combine(text)
        }
    }

    /// In the order of their texts: generated ids of one kind sort by their bits as by their texts.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        if case .generated(let leftHigh, let leftLow) = lhs.storage, case .generated(let rightHigh, let rightLow) = rhs.storage {
            return (leftHigh, leftLow) < (rightHigh, rightLow)
        }
        return lhs.rawValue < rhs.rawValue
    }

    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
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
