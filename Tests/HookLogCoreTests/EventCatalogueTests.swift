import HookLogCore
import Testing

/// docs/rules.md §1.3: the platform's event types as one table, each with its label, description and group, and the
/// numbers records store them by, which never change.
@Suite("The event catalogue")
struct EventCatalogueTests {
    @Test("the catalogue lists every event type once, grouped, each with the label the platform gives it")
    func everyTypeOnce() {
        #expect(EventCatalogue.types.count == EventType.allCases.count)
        #expect(Set(EventCatalogue.types) == Set(EventType.allCases))
        #expect(EventCatalogue.entries.allSatisfy { !$0.label.isEmpty && !$0.summary.isEmpty })
        #expect(EventCatalogue.grouped.map(\.group) == [.conversations, .contacts, .messages, .comments, .calls])
        #expect(EventCatalogue.grouped.flatMap(\.entries) == EventCatalogue.entries, "each group's types sit together")
        #expect(EventType.conversationClosed.entry.label == "Conversation Closed")
        #expect(EventType.contactCreated.entry.label == "New Contact")
        #expect(EventType.messageReceived.entry.label == "New Incoming Message")
        #expect(EventType.contactLifecycleUpdated.entry.group == .contacts)
        #expect(EventType.callEnded.entry.group == .calls)
    }

    @Test("types sort in the catalogue's order, so a webhook's events list as the table does")
    func typesSortAsListed() throws {
        let normalized = try Validation.normalizedEvents([.callEnded, .messageReceived, .contactLifecycleUpdated, .contactCreated])
        #expect(normalized == [.contactCreated, .contactLifecycleUpdated, .messageReceived, .callEnded])
        #expect(EventCatalogue.types == EventCatalogue.types.sorted())
    }

    @Test("records store the nine original types as 0 to 8, and the two added since as 9 and 10")
    func storedNumbersNeverChange() throws {
        let original: [EventType] = [
            .conversationClosed, .conversationOpened, .contactCreated, .contactUpdated, .contactAssigneeUpdated,
            .contactTagUpdated, .messageReceived, .messageSent, .commentCreated,
        ]
        for (number, type) in (original + [.contactLifecycleUpdated, .callEnded]).enumerated() {
            var writer = BinaryWriter()
            type.encode(to: &writer)
            #expect(writer.bytes == [UInt8(number)], "\(type)")
            let decoded = try writer.bytes.withUnsafeBytes { bytes in
                var reader = BinaryReader(bytes)
                return try EventType(from: &reader)
            }
            #expect(decoded == type)
        }
    }

    @Test("an unknown type is refused, naming every type of the catalogue")
    func unknownTypesAreRefused() {
        #expect(throws: DecisionError.self) { try EventType.parse("contact.deleted") }
        do {
            _ = try EventType.parse("contact.deleted")
        } catch {
            #expect(error.message.hasSuffix("contact.lifecycle.updated, message.received, message.sent, comment.created, call.ended"))
        }
    }
}
