import Foundation
public import HookLogCore
import Logging

/// A snapshot of the projections and the sequence they reflect, kept in `meta` so that start-up folds only the
/// log's tail.
///
/// Stored as ``magic``, a format version byte, then the state as JSON. Every older format stays readable:
/// version 1 (HookLog up to 6b30aea) was the bare JSON `{"state": …}` with the queue window inside the policy.
/// While the log is complete, a checkpoint is only a shortcut: one that does not decode, or was taken under other
/// settings, is passed over and the whole log replayed.
struct Checkpoint: Sendable {
    /// The format this build writes.
    static let formatVersion: UInt8 = 2
    /// What a checkpoint of version 2 or later starts with.
    static let magic = Array("HLCK".utf8)

    var state: HookLogState

    func encoded() throws -> [UInt8] {
        Self.magic + [Self.formatVersion] + Array(try JSONEncoder().encode(state))
    }

    /// Decodes a checkpoint of any version this build knows.
    static func decode(_ bytes: UnsafeRawBufferPointer) throws -> Checkpoint {
        if bytes.first == UInt8(ascii: "{") { return try decodeVersion1(Data(bytes)) }
        guard bytes.count > magic.count, Array(bytes.prefix(magic.count)) == magic else {
            throw CheckpointFormatError("it starts with neither \"HLCK\" nor a JSON object")
        }
        let version = bytes[magic.count]
        guard version == formatVersion else {
            throw CheckpointFormatError("its format version \(version) is not one this build reads (\(formatVersion))")
        }
        return Checkpoint(state: try JSONDecoder().decode(HookLogState.self, from: Data(bytes[(magic.count + 1)...])))
    }

    /// Version 1: `{"state": …}`, whose policy held the queue window; it moves to the state's own field.
    private static func decodeVersion1(_ data: Data) throws -> Checkpoint {
        guard let checkpoint = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              var state = checkpoint["state"] as? [String: Any],
              var policy = state["policy"] as? [String: Any]
        else { throw CheckpointFormatError("its version 1 JSON has no state with a policy") }
        state["queueWindow"] = policy.removeValue(forKey: "queueWindow")
        state["policy"] = policy
        let migrated = try JSONSerialization.data(withJSONObject: state)
        return Checkpoint(state: try JSONDecoder().decode(HookLogState.self, from: migrated))
    }

    /// The checkpoint stored in `databases`, if any.
    static func load(from databases: LogDatabases) throws -> Checkpoint? {
        try databases.environment.read { transaction in try load(from: databases, in: transaction) }
    }

    /// The checkpoint stored in `databases`, read in the caller's transaction; nil when there is none, or when the
    /// stored one does not decode (said once in the log, since the log is replayed in its place).
    static func load(from databases: LogDatabases, in transaction: borrowing ReadTransaction) throws -> Checkpoint? {
        try transaction.withValue(LogDatabases.checkpointKey, in: databases.meta) { bytes -> Checkpoint? in
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
        var state = try start(from: reader.databases, policy: policy, queueWindow: queueWindow, in: transaction)
        if let checkpoint = try load(from: reader.databases, in: transaction),
           checkpoint.state.policy == policy, checkpoint.state.queueWindow == queueWindow,
           checkpoint.state.lastSequence >= state.lastSequence {
            state = checkpoint.state
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
        from databases: LogDatabases, policy: DeliveryPolicy, queueWindow: Int?, in transaction: borrowing ReadTransaction
    ) throws -> HookLogState {
        guard let base = try BaseSnapshot.load(from: databases, in: transaction) else {
            return HookLogState(policy: policy, queueWindow: queueWindow)
        }
        guard base.state.queueWindow == queueWindow else {
            throw StoreError.baseWindowMismatch(stored: base.state.queueWindow, asked: queueWindow)
        }
        return base.state.governed(by: policy)
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
        try Checkpoint.load(from: databases).map { ($0.state.policy, $0.state.queueWindow) }
    }

    /// The state the log holds now: the checkpoint and the records after it.
    public func currentState(
        policy: DeliveryPolicy, queueWindow: Int? = HookLogState.standardQueueWindow
    ) throws -> (state: HookLogState, checkpointSequence: UInt64) {
        try Checkpoint.restore(from: self, policy: policy, queueWindow: queueWindow)
    }
}
