import Foundation
import HookLogStore
import HookLogTestSupport
import Testing

@Suite("Archive segments: damage is found and named")
struct ArchiveCorruptionTests {
    /// Writes a segment of a few hundred records, damages its file with `damage`, and returns the error reading the
    /// archive gives, with the segment's path.
    func readDamaged(_ damage: (inout [UInt8]) -> Void) async throws -> (error: ArchiveError?, path: String) {
        try await withTemporaryDirectory { root in
            let path = try #require(try ArchiveWriter(directory: root).write(records: archived(Array(1...300))))
            var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            damage(&bytes)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let error = #expect(throws: ArchiveError.self) { try everything(in: ArchiveReader(directory: root)) }
            return (error, path)
        }
    }

    @Test func aFlippedByteAnywhereIsAChecksumMismatch() async throws {
        for offset in [5, 21, 30, 45, 200, -1] {
            let (error, path) = try await readDamaged { bytes in
                bytes[offset < 0 ? bytes.count + offset : offset] ^= 0x10
            }
            #expect(error?.description == "\(path) is corrupt: its checksum does not match its contents", "offset \(offset)")
        }
    }

    @Test func everyFlippedByteOfASmallSegmentIsAnErrorNamingIt() async throws {
        try await withTemporaryDirectory { root in
            let path = try #require(try ArchiveWriter(directory: root).write(records: archived([1, 2, 3])))
            let intact = try Data(contentsOf: URL(fileURLWithPath: path))
            for offset in intact.indices {
                var damaged = intact
                damaged[offset] ^= 0x01
                try damaged.write(to: URL(fileURLWithPath: path))
                let error = #expect(throws: ArchiveError.self, "offset \(offset)") {
                    try everything(in: ArchiveReader(directory: root))
                }
                #expect(error?.description.hasPrefix(path + " ") == true, "offset \(offset): \(String(describing: error))")
            }
        }
    }

    @Test func aTruncatedSegmentSaysSo() async throws {
        for kept in [0, 3, 30, 100] {
            let (error, path) = try await readDamaged { bytes in bytes.removeSubrange(kept...) }
            #expect(error?.description.hasPrefix("\(path) is truncated: it has \(kept) bytes") == true, "\(String(describing: error))")
        }
        let (lastByte, path) = try await readDamaged { bytes in bytes.removeLast() }
        #expect(lastByte?.description.hasPrefix("\(path) is truncated") == true, "\(String(describing: lastByte))")
    }

    @Test func aWrongMagicOrAnUnknownVersionIsNamed() async throws {
        let (magic, path) = try await readDamaged { bytes in bytes.replaceSubrange(0..<4, with: Array("PK\u{3}\u{4}".utf8)) }
        #expect(magic?.description == "\(path) is not a HookLog archive segment (bad magic)")
        let (version, versionPath) = try await readDamaged { bytes in bytes[4] = 9 }
        #expect(version?.description == "\(versionPath) is an archive segment of format 9; this build reads format 1")
    }

    @Test func bytesAfterTheChecksumAreNamed() async throws {
        let (error, path) = try await readDamaged { bytes in bytes += [0, 0] }
        #expect(error?.description == "\(path) is corrupt: 2 bytes follow its checksum")
    }

    @Test func aSegmentRenamedToAnotherRangeIsNamed() async throws {
        try await withTemporaryDirectory { root in
            let path = try #require(try ArchiveWriter(directory: root).write(records: archived([1, 2])))
            let renamed = root + "/segment-00000000000000000001-00000000000000000003.hla"
            try FileManager.default.moveItem(atPath: path, toPath: renamed)
            let error = #expect(throws: ArchiveError.self) { try everything(in: ArchiveReader(directory: root)) }
            #expect(error?.description == "\(renamed) is corrupt: its header covers records 1 to 2, its name others")
        }
    }
}
