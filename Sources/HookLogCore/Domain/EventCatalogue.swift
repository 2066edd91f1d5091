/// The platform's event types as one table: each type's id, the label people know it by on the platform ("New
/// Contact", "New Incoming Message", …), a one-line description and the group it is shown in, in the order every
/// list of types follows (the dashboard, the OpenAPI document, error messages, a webhook's `events`).
public enum EventCatalogue {
    /// What an event type is about.
    public enum Group: String, CaseIterable, Sendable {
        case conversations = "Conversations"
        case contacts = "Contacts"
        case messages = "Messages"
        case comments = "Comments"
        case calls = "Calls"
    }

    /// One event type of the table.
    public struct Entry: Hashable, Sendable {
        /// The type.
        public let type: EventType
        /// The name the platform's own settings give it.
        public let label: String
        /// When it is emitted, in one line.
        public let summary: String
        /// What it is about.
        public let group: Group
    }

    /// Every type, grouped, in the order they are listed.
    public static let entries: [Entry] = [
        Entry(type: .conversationClosed, label: "Conversation Closed", summary: "a conversation is closed", group: .conversations),
        Entry(type: .conversationOpened, label: "Conversation Opened", summary: "a conversation is opened", group: .conversations),
        Entry(type: .contactCreated, label: "New Contact", summary: "a contact is added", group: .contacts),
        Entry(type: .contactUpdated, label: "Contact Updated", summary: "fields of a contact change", group: .contacts),
        Entry(
            type: .contactAssigneeUpdated, label: "Contact Assignee Updated",
            summary: "a contact is assigned to a different team member", group: .contacts),
        Entry(type: .contactTagUpdated, label: "Contact Tag Updated", summary: "the tags of a contact change", group: .contacts),
        Entry(
            type: .contactLifecycleUpdated, label: "Contact Lifecycle Updated",
            summary: "the lifecycle stage of a contact changes", group: .contacts),
        Entry(type: .messageReceived, label: "New Incoming Message", summary: "an incoming message arrives", group: .messages),
        Entry(type: .messageSent, label: "New Outgoing Message", summary: "an outgoing message is sent", group: .messages),
        Entry(type: .commentCreated, label: "New Comment", summary: "an internal comment is written", group: .comments),
        Entry(type: .callEnded, label: "Call Ended", summary: "a call ends", group: .calls),
    ]

    /// Every type, in the table's order.
    public static let types: [EventType] = entries.map(\.type)

    /// The types' names, in the table's order, separated by commas: what an error message offers.
    public static let names: String = types.map(\.rawValue).joined(separator: ", ")

    /// The entries of each group that has any, in the table's order.
    public static var grouped: [(group: Group, entries: [Entry])] {
        Group.allCases.map { group in (group, entries.filter { $0.group == group }) }.filter { !$0.entries.isEmpty }
    }

    /// Where `type` is in the table.
    static func position(of type: EventType) -> Int {
        positions[type]!
    }

    private static let positions: [EventType: Int] = Dictionary(
        uniqueKeysWithValues: entries.enumerated().map { ($0.element.type, $0.offset) })
}
