import HookLogCore
@testable import HookLogStore
import Testing

/// The keys' byte layouts are part of the data directory's format: they must not change.
@Suite("Log keys")
struct LogKeysTests {
    func bigEndian(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) }
    }

    @Test("an index key is the name's number in the id table, its value the sequence, both 8 bytes big-endian")
    func indexEntryLayout() {
        #expect(LogKeys.number(0x0102) == bigEndian(0x0102))
        #expect(LogKeys.sequence(9) == bigEndian(9))
        #expect(LogKeys.number(255).lexicographicallyPrecedes(LogKeys.number(256)))
    }

    @Test("an id is named by its UTF-8, an Idempotency-Key by its workspace's, a 0 byte and the key's")
    func indexedNames() {
        #expect(IndexedName(WebhookID("wh_a")).bytes == Array("wh_a".utf8))
        let key = IdempotencyKey(workspaceID: WorkspaceID("ws_1"), value: "ké")
        #expect(IndexedName(key).bytes == Array("ws_1".utf8) + [0] + Array("ké".utf8))
    }

    @Test("a time index key counts runs of 1,000 ms; its value is the millisecond in the run over 54 bits of sequence")
    func timeIndexLayout() {
        let zero = Timestamp(milliseconds: 0)
        #expect(LogKeys.timeIndexKey(zero) == bigEndian((1 << 63) / 1000))
        #expect(LogKeys.timeIndexValue(zero, 7) == bigEndian(((UInt64(1) << 63) % 1000) << 54 | 7))
        #expect(LogKeys.timeIndexKey(after: zero) == bigEndian((1 << 63) / 1000 + 1))
        for milliseconds in [-1_001, -1, 0, 1, 999, 1_000, 1_800_000_000_123] as [Int64] {
            let at = Timestamp(milliseconds: milliseconds)
            let key = LogKeys.timeIndexKey(at)
            let value = LogKeys.timeIndexValue(at, 42)
            #expect(key.withUnsafeBytes { k in value.withUnsafeBytes { v in LogKeys.time(fromTimeIndexKey: k, value: v) } } == at)
            #expect(value.withUnsafeBytes(LogKeys.sequence(fromTimeIndexValue:)) == 42)
        }
        let earlier = (LogKeys.timeIndexKey(Timestamp(milliseconds: -1)), LogKeys.timeIndexValue(Timestamp(milliseconds: -1), 9))
        let later = (LogKeys.timeIndexKey(zero), LogKeys.timeIndexValue(zero, 1))
        #expect((earlier.0 + earlier.1).lexicographicallyPrecedes(later.0 + later.1), "earlier times sort first")
    }

    @Test("an older index entry is the name, a 0 byte and the big-endian sequence; a time entry the time, then the sequence")
    func legacyLayouts() {
        let name = IndexedName(WebhookID("wh_a"))
        #expect(LegacyIndexKeys.entry(name, 0x0102) == Array("wh_a".utf8) + [0] + bigEndian(0x0102))
        #expect(LegacyIndexKeys.entry(name, 0x0102).withUnsafeBytes(LegacyIndexKeys.name(ofEntry:)) == name)
        #expect(LegacyIndexKeys.timeEntry(Timestamp(milliseconds: -1), 7) == bigEndian(0x7FFF_FFFF_FFFF_FFFF) + bigEndian(7))
        #expect(LegacyIndexKeys.timeEntry(Timestamp(milliseconds: 0), 7) == bigEndian(1 << 63) + bigEndian(7))
    }
}
