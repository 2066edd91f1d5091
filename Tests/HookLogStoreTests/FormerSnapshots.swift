import Foundation
import HookLogCore
@testable import HookLogStore

/// A checkpoint and a base snapshot as builds of storage format 8 and older wrote them: a checkpoint of version 3,
/// the state's JSON uncompressed after the magic and the version byte, and a base holding one.
enum FormerSnapshots {
    /// `bytes`, the checkpoint or the base (as `value` names it) of today's version, written again as version 3.
    static func version3(_ bytes: [UInt8], storedAs value: PiecedValue) throws -> [UInt8] {
        value.name == BaseSnapshot.key ? try version3(ofBase: bytes) : try version3(ofCheckpoint: bytes)
    }

    /// `checkpoint`, of today's version, written again as version 3.
    static func version3(ofCheckpoint checkpoint: [UInt8]) throws -> [UInt8] {
        try version3(of: try checkpoint.withUnsafeBytes { try Checkpoint.decode($0) }.state)
    }

    /// `base`, as ``BaseSnapshot/encoded()`` writes it today, written again around a version-3 checkpoint.
    private static func version3(ofBase base: [UInt8]) throws -> [UInt8] {
        let snapshot = try base.withUnsafeBytes { try BaseSnapshot.decode($0) }
        return BaseSnapshot.sealed(sequence: snapshot.sequence, checkpoint: try version3(of: snapshot.state))
    }

    private static func version3(of state: HookLogState) throws -> [UInt8] {
        Checkpoint.magic + [3] + Array(try JSONEncoder().encode(state))
    }
}
