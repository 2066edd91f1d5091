import Foundation
@testable import HookLogStore

/// A checkpoint and a base snapshot as builds of storage format 8 and older wrote them: a checkpoint of version 3,
/// the state's JSON uncompressed after the magic and the version byte, and a base holding one.
enum FormerSnapshots {
    /// `checkpoint`, of today's version, written again as version 3.
    static func version3(ofCheckpoint checkpoint: [UInt8]) throws -> [UInt8] {
        let state = try checkpoint.withUnsafeBytes { try Checkpoint.decode($0) }.state
        return Checkpoint.magic + [3] + Array(try JSONEncoder().encode(state))
    }

    /// `base`, as ``BaseSnapshot/encoded()`` writes it today, written again around a version-3 checkpoint.
    static func version3(ofBase base: [UInt8]) throws -> [UInt8] {
        let snapshot = try base.withUnsafeBytes { try BaseSnapshot.decode($0) }
        let checkpoint = try version3(ofCheckpoint: try Checkpoint(state: snapshot.state).encoded())
        return BaseSnapshot.sealed(sequence: snapshot.sequence, checkpoint: checkpoint)
    }
}
