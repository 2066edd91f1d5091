import Foundation
import HookLogCore

/// A state's JSON, the same that `JSONEncoder` makes of it (members in another order), written piece by piece into a
/// zlib stream: `JSONEncoder` builds a tree of the whole value before it writes a byte, several times the size of the
/// text, which for a state of 100,000 webhooks is over half a gigabyte at every checkpoint. Here each field is encoded
/// on its own, and each dictionary a piece of ``piece`` entries at a time, so what is held at once is one piece's
/// tree, the compressed stream so far and the state itself.
///
/// The decoder is `JSONDecoder`'s, unchanged: a checkpoint written this way is read by every build that reads
/// format version 4. The settings lead (`policy`, `queueWindow`, then `lastSequence`), so that they are read without
/// the rest (``Checkpoint/settings(_:)``).
struct StateJSONWriter {
    /// How many entries of a dictionary are encoded at a time.
    var piece = 1_000

    /// The state's JSON as one zlib stream at ``Zlib/fastest``, and the JSON's length.
    func compressed(_ state: HookLogState) throws -> (stream: [UInt8], jsonCount: Int) {
        var members = Members(deflater: try Zlib.Deflater(level: Zlib.fastest), piece: piece)
        try members.deflater.append(Array("{".utf8))
        try members.value(state.policy, named: "policy")
        if let queueWindow = state.queueWindow { try members.value(queueWindow, named: "queueWindow") }
        try members.value(state.lastSequence, named: "lastSequence")
        try members.dictionary(state.workspaces, named: "workspaces")
        try members.value(state.apiKeys, named: "apiKeys")
        try members.dictionary(state.webhooks, named: "webhooks")
        try members.dictionary(state.queues, named: "queues")
        try members.dictionary(state.errorWindows, named: "errorWindows")
        try members.dictionary(state.notifications, named: "notifications")
        try members.dictionary(state.budgetWarnings, named: "budgetWarnings")
        try members.dictionary(state.warningNotifications, named: "warningNotifications")
        try members.dictionary(state.operationsWebhooks, named: "operationsWebhooks")
        try members.dictionary(state.audits, named: "audits")
        try members.deflater.append(Array("}".utf8))
        let consumed = members.deflater.consumed
        return (try members.deflater.finish(), consumed)
    }

    /// The members of the state's object, written one after the other.
    private struct Members {
        let deflater: Zlib.Deflater
        let piece: Int
        let encoder = JSONEncoder()
        var count = 0

        /// `"name":` after a comma unless it is the first member.
        mutating func name(_ name: String) throws {
            try deflater.append(Array(((count == 0 ? "" : ",") + "\"\(name)\":").utf8))
            count += 1
        }

        mutating func value(_ value: some Encodable, named name: String) throws {
            try self.name(name)
            try deflater.append(Array(try encoder.encode(value)))
        }

        /// A dictionary as `JSONEncoder` writes it (an array of keys and values, or an object when keyed by
        /// strings), from pieces encoded as dictionaries of their own, their brackets dropped but the first's
        /// opening one and the last's closing one.
        mutating func dictionary<Key: Hashable & Encodable, Value: Encodable>(
            _ dictionary: [Key: Value], named name: String
        ) throws {
            try self.name(name)
            guard !dictionary.isEmpty else { return try deflater.append(Array(try encoder.encode(dictionary))) }
            var entries = dictionary.makeIterator()
            var closing: UInt8?
            while true {
                var part: [Key: Value] = [:]
                part.reserveCapacity(piece)
                while part.count < piece, let (key, value) = entries.next() { part[key] = value }
                guard !part.isEmpty else { break }
                let json = Array(try encoder.encode(part))
                try deflater.append([closing == nil ? json[0] : UInt8(ascii: ",")] + json[1..<(json.count - 1)])
                closing = json[json.count - 1]
            }
            if let closing { try deflater.append([closing]) }
        }
    }
}
