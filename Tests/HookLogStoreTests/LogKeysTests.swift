import HookLogCore
@testable import HookLogStore
import Testing

/// The keys' byte layouts are part of the data directory's format: built in one allocation, they must not change.
@Suite("Log keys")
struct LogKeysTests {
    func bigEndian(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) }
    }

    @Test("an index entry is the id's UTF-8, a 0 byte and the big-endian sequence")
    func indexEntryLayout() {
        #expect(LogKeys.indexEntry("wh_a", 0x0102) == Array("wh_a".utf8) + [0] + bigEndian(0x0102))
        #expect(LogKeys.indexEntry("wh_a", 9).starts(with: LogKeys.indexPrefix("wh_a")))
    }

    @Test("an idempotency entry is the workspace's prefix, the key's prefix and the big-endian sequence")
    func idempotencyEntryLayout() {
        let key = IdempotencyKey(workspaceID: WorkspaceID("ws_1"), value: "ké")
        #expect(LogKeys.idempotencyEntry(key, 5) == Array("ws_1".utf8) + [0] + Array("ké".utf8) + [0] + bigEndian(5))
        #expect(LogKeys.idempotencyEntry(key, 5).starts(with: LogKeys.idempotencyPrefix(key)))
    }

    @Test("a time entry is the time with its sign bit flipped, then the sequence, so earlier times sort first")
    func timeEntryLayout() {
        #expect(LogKeys.timeEntry(Timestamp(milliseconds: -1), 7) == bigEndian(0x7FFF_FFFF_FFFF_FFFF) + bigEndian(7))
        #expect(LogKeys.timeEntry(Timestamp(milliseconds: 0), 7) == bigEndian(1 << 63) + bigEndian(7))
        #expect(LogKeys.timeEntry(Timestamp(milliseconds: -1), 9).lexicographicallyPrecedes(
            LogKeys.timeEntry(Timestamp(milliseconds: 0), 1)))
    }
}
