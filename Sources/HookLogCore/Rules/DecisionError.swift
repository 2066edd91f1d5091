/// Why a command was refused: a code the API maps to an HTTP status, and a message for a person.
public struct DecisionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The machine-readable reasons a command can be refused.
    public enum Code: String, Sendable {
        /// A field is missing, malformed or out of range (400).
        case invalidField = "invalid_field"
        /// The workspace's plan is below advanced (403).
        case planRequired = "plan_required"
        /// The thing named does not exist, or belongs to another workspace (404).
        case notFound = "not_found"
        /// The command conflicts with the current state, e.g. a duplicate id (409).
        case conflict
        /// A limit of the service would be exceeded, e.g. too many webhooks or API keys for one workspace (409).
        case limitReached = "limit_reached"
        /// A payload is larger than allowed (413).
        case payloadTooLarge = "payload_too_large"
        /// The event type is not in the catalogue (422).
        case unknownEventType = "unknown_event_type"
        /// The outcome of a delivery of a partition this node of a fleet no longer holds the lease of (409): only the
        /// delivery engine records outcomes, and it leaves the delivery to the node that took the partition.
        case notOwner = "not_owner"
    }

    /// The machine-readable reason.
    public let code: Code
    /// What was wrong and how to fix it.
    public let message: String

    /// A refusal with `code` and a message for a person.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
