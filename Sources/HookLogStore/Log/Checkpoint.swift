import Foundation
public import HookLogCore
import Logging

/// A snapshot of the projections and the sequence they reflect, kept in `meta` so that start-up folds only the
/// log's tail.
///
/// Stored as ``magic``, a format version byte, the length of the state's JSON (8 bytes, big-endian), then that JSON as
/// one zlib stream (``Zlib/fastest``): a state of 1,000 webhooks is about 800 KB of JSON and 140 KB compressed, and
/// the base snapshot, which holds one, is written in a group commit at every compaction pass. Every older format stays
/// readable: version 3 held the JSON uncompressed, version 1 (HookLog up to 6b30aea) was the bare JSON `{"state": …}`
/// with the queue window inside the policy, and versions 1 and 2 have no audits (``HookLogState/audits``), which a
/// restore counts from the log once (``countsAudits``). While the log is complete, a checkpoint is only a shortcut:
/// one that does not decode, or was taken under other settings, is passed over and the whole log replayed.
struct Checkpoint: Sendable {
    /// The format this build writes.
    static let formatVersion: UInt8 = 4
    /// The most a zlib stream can expand, per byte: a stored length beyond it is damage, not a state to allocate for.
    private static let largestExpansion = 1_032
    /// What a checkpoint of version 2 or later starts with.
    static let magic = Array("HLCK".utf8)

    var state: HookLogState
    /// Whether the state holds the audits of the records it folded; false for a checkpoint of version 1 or 2, whose
    /// state has none, so that they are counted from the log (``countAudits(into:from:in:)``).
    var countsAudits = true

    /// The bytes to store, the state's JSON written and compressed piece by piece (``StateJSONWriter``).
    func encoded() throws -> [UInt8] {
        let (stream, jsonCount) = try StateJSONWriter().compressed(state)
        return Self.magic + [Self.formatVersion] + LogKeys.number(UInt64(jsonCount)) + stream
    }

    /// Decodes a checkpoint of any version this build knows.
    static func decode(_ bytes: UnsafeRawBufferPointer) throws -> Checkpoint {
        switch try json(of: bytes) {
        case .state(let json):
            return Checkpoint(state: try JSONDecoder().decode(HookLogState.self, from: json))
        case .withoutAudits(let json):
            guard let state = try JSONSerialization.jsonObject(with: json) as? [String: Any] else {
                throw CheckpointFormatError("its version 2 JSON is not a state")
            }
            return try decodeWithoutAudits(state)
        case .version1(let json):
            return try decodeVersion1(json)
        }
    }

    /// The settings a checkpoint of any version was taken under. Versions 3 and 4 are read without building the
    /// state, which for 100,000 webhooks is most of a second and over a gigabyte that `rebuild` and `audit` would
    /// spend only to learn which rules to fold under: version 4's settings lead its JSON (``StateJSONWriter``), so
    /// only they are decoded; version 3's JSON is scanned whole, but none of its collections decoded.
    static func settings(_ bytes: UnsafeRawBufferPointer) throws -> (policy: DeliveryPolicy, queueWindow: Int?) {
        guard case .state(let json) = try json(of: bytes) else {
            let state = try decode(bytes).state
            return (state.policy, state.queueWindow)
        }
        let leading = bytes[magic.count] == formatVersion ? leadingSettings(of: json) : nil
        let settings = try JSONDecoder().decode(Settings.self, from: leading ?? json)
        return (settings.policy, settings.queueWindow)
    }

    /// The members that lead a state's JSON as ``StateJSONWriter`` writes it, `policy` and then `queueWindow` when
    /// the window is bounded, closed as an object of their own; nil when `lastSequence` does not follow them soon.
    private static func leadingSettings(of json: Data) -> Data? {
        let marker = Data(#","lastSequence":"#.utf8)
        guard let end = json.range(of: marker, in: json.startIndex..<min(json.endIndex, json.startIndex + 65_536)) else {
            return nil
        }
        return json[json.startIndex..<end.lowerBound] + Data("}".utf8)
    }

    /// The JSON a checkpoint holds, by the shape its version gives it.
    private enum StoredJSON {
        /// Versions 3 and 4 (decompressed): a state as `HookLogState` decodes it.
        case state(Data)
        /// Version 2: a state without audits.
        case withoutAudits(Data)
        /// Version 1: `{"state": …}`, the queue window inside the policy.
        case version1(Data)
    }

    /// The JSON `bytes` hold, after the magic and version of version 2 and later; an unknown version is an error.
    private static func json(of bytes: UnsafeRawBufferPointer) throws -> StoredJSON {
        if bytes.first == UInt8(ascii: "{") { return .version1(Data(bytes)) }
        guard bytes.count > magic.count, Array(bytes.prefix(magic.count)) == magic else {
            throw CheckpointFormatError("it starts with neither \"HLCK\" nor a JSON object")
        }
        let version = bytes[magic.count]
        let body = UnsafeRawBufferPointer(rebasing: bytes[(magic.count + 1)...])
        switch version {
        case formatVersion: return .state(Data(try decompressed(body)))
        case 3: return .state(Data(body))
        case 2: return .withoutAudits(Data(body))
        default:
            throw CheckpointFormatError("its format version \(version) is not one this build reads (1 to \(formatVersion))")
        }
    }

    /// The members of a state's JSON that say what it was folded under.
    private struct Settings: Decodable {
        let policy: DeliveryPolicy
        let queueWindow: Int?
    }

    /// The JSON a version-4 body holds: its length, then the zlib stream.
    private static func decompressed(_ body: UnsafeRawBufferPointer) throws -> [UInt8] {
        guard body.count > 8 else { throw CheckpointFormatError("its body is \(body.count) bytes long") }
        let length = LogKeys.number(from: UnsafeRawBufferPointer(rebasing: body[..<8]))
        let stream = UnsafeRawBufferPointer(rebasing: body[8...])
        guard length <= UInt64(stream.count * largestExpansion) else {
            throw CheckpointFormatError("it says \(length) bytes of JSON, more than \(stream.count) compressed bytes can hold")
        }
        do {
            return try Zlib.decompress(stream, count: Int(length))
        } catch {
            throw CheckpointFormatError("its state does not decompress to \(length) bytes (\(error))")
        }
    }

    /// Version 1: `{"state": …}`, whose policy held the queue window; it moves to the state's own field.
    private static func decodeVersion1(_ data: Data) throws -> Checkpoint {
        guard let checkpoint = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              var state = checkpoint["state"] as? [String: Any],
              var policy = state["policy"] as? [String: Any]
        else { throw CheckpointFormatError("its version 1 JSON has no state with a policy") }
        state["queueWindow"] = policy.removeValue(forKey: "queueWindow")
        state["policy"] = policy
        return try decodeWithoutAudits(state)
    }

    /// A state of version 1 or 2, which has no audits: it is given none, to be counted from the log.
    private static func decodeWithoutAudits(_ state: [String: Any]) throws -> Checkpoint {
        var state = state
        state["audits"] = [Any]()  // an empty dictionary keyed by ids, as JSONEncoder writes one
        let migrated = try JSONSerialization.data(withJSONObject: state)
        return Checkpoint(state: try JSONDecoder().decode(HookLogState.self, from: migrated), countsAudits: false)
    }

    /// The checkpoint stored in `databases`, if any.
    static func load(from databases: LogDatabases) throws -> Checkpoint? {
        try databases.environment.read { transaction in try load(from: databases, in: transaction) }
    }

    /// The checkpoint stored in `databases`, read in the caller's transaction; nil when there is none, or when the
    /// stored one does not decode (said once in the log, since the log is replayed in its place).
    static func load(from databases: LogDatabases, in transaction: borrowing ReadTransaction) throws -> Checkpoint? {
        try databases.checkpoint.withValue(in: transaction) { bytes -> Checkpoint? in
            do {
                return try decode(bytes)
            } catch {
                Logger(label: "hooklog.store").warning(
                    "the stored checkpoint cannot be read (\(error)); the whole log is replayed instead")
                return nil
            }
        } ?? nil
    }

    /// The state the log holds: the checkpoint (when it was taken under `policy` and `queueWindow`) and the records
    /// after it.
    static func restore(
        from reader: LogReader, policy: DeliveryPolicy, queueWindow: Int?
    ) throws -> (state: HookLogState, checkpointSequence: UInt64) {
        try reader.databases.environment.read { transaction in
            try restore(from: reader, policy: policy, queueWindow: queueWindow, in: transaction)
        }
    }

    /// ``restore(from:policy:queueWindow:)`` in the caller's read transaction: checkpoint and tail from one snapshot.
    static func restore(
        from reader: LogReader, policy: DeliveryPolicy, queueWindow: Int?, in transaction: borrowing ReadTransaction
    ) throws -> (state: HookLogState, checkpointSequence: UInt64) {
        var state = try start(from: reader, policy: policy, queueWindow: queueWindow, in: transaction)
        if let checkpoint = try load(from: reader.databases, in: transaction),
           checkpoint.state.policy == policy, checkpoint.state.queueWindow == queueWindow,
           checkpoint.state.lastSequence >= state.lastSequence {
            state = checkpoint.state
            if !checkpoint.countsAudits { try countAudits(into: &state, from: reader, in: transaction) }
        }
        let checkpointSequence = state.lastSequence
        try reader.withQueuedDeliveries(in: transaction) { log in
            try reader.forEachRecord(in: transaction, after: state.lastSequence) { entry in
                try state.evolve(entry, refillingFrom: log)
                return true
            }
        }
        return (state, checkpointSequence)
    }
}

extension Checkpoint {
    /// Where every fold of the log starts: the base snapshot once the log has been cut (under `policy` from then on;
    /// its window must be `queueWindow`), or else the empty state.
    static func start(
        from reader: LogReader, policy: DeliveryPolicy, queueWindow: Int?, in transaction: borrowing ReadTransaction
    ) throws -> HookLogState {
        guard let base = try BaseSnapshot.load(from: reader.databases, in: transaction) else {
            return HookLogState(policy: policy, queueWindow: queueWindow)
        }
        guard base.state.queueWindow == queueWindow else {
            throw StoreError.baseWindowMismatch(stored: base.state.queueWindow, asked: queueWindow)
        }
        var state = base.state.governed(by: policy)
        if !base.countsAudits { try countAudits(into: &state, from: reader, in: transaction) }
        return state
    }

    /// Counts into `state`'s audits the records the log holds up to the state's last sequence, once, for a state
    /// from a checkpoint or base written before the state kept audits: the fold an audit then made per request.
    /// Records compaction removed before are not counted, as the audit did not count them either.
    static func countAudits(
        into state: inout HookLogState, from reader: LogReader, in transaction: borrowing ReadTransaction
    ) throws {
        let through = state.lastSequence
        try reader.forEachRecord(in: transaction, after: 0) { entry in
            guard entry.sequence <= through else { return false }
            state.countInAudit(entry.record)
            return true
        }
    }
}

/// Why a stored checkpoint could not be read.
struct CheckpointFormatError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

extension LogReader {
    /// The settings of the stored checkpoint (those the service ran with), if there is a readable one.
    public func checkpointSettings() throws -> (policy: DeliveryPolicy, queueWindow: Int?)? {
        try databases.environment.read { transaction in
            try databases.checkpoint.withValue(in: transaction) { bytes in try? Checkpoint.settings(bytes) } ?? nil
        }
    }

    /// The state the log holds now: the checkpoint and the records after it.
    public func currentState(
        policy: DeliveryPolicy, queueWindow: Int? = HookLogState.standardQueueWindow
    ) throws -> (state: HookLogState, checkpointSequence: UInt64) {
        try Checkpoint.restore(from: self, policy: policy, queueWindow: queueWindow)
    }
}
