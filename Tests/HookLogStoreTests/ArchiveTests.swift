import Foundation
import HookLogStore
import HookLogTestSupport
import Testing

@Suite("Archive segments: writing and reading back")
struct ArchiveTests {
    @Test func segmentsReadBackInSequenceOrderWhateverTheOrderTheyWereWrittenIn() async throws {
        try await withTemporaryDirectory { root in
            let writer = ArchiveWriter(directory: root + "/archive")
            let later = try #require(try writer.write(records: archived([20, 21, 25, 30])))
            let earlier = try #require(try writer.write(records: archived([1, 2, 3, 7, 19])))
            #expect(earlier == root + "/archive/segment-00000000000000000001-00000000000000000019.hla")
            #expect(later == root + "/archive/segment-00000000000000000020-00000000000000000030.hla")

            let reader = try ArchiveReader(directory: root + "/archive")
            #expect(try reader.segments().map(\.path) == [earlier, later])
            #expect(try everything(in: reader) == archived([1, 2, 3, 7, 19, 20, 21, 25, 30]))
            #expect(try everything(in: reader, after: 19) == archived([20, 21, 25, 30]))
        }
    }

    @Test func recordsArchivedAgainByAnInterruptedCompactionAreReadOnce() async throws {
        try await withTemporaryDirectory { root in
            let writer = ArchiveWriter(directory: root)
            try writer.write(records: archived([1, 2, 4, 6]))
            try writer.write(records: archived([2, 4, 6, 8, 9]))
            try writer.write(records: archived([9, 11]))
            try writer.write(records: archived([15, 16]))
            #expect(try everything(in: ArchiveReader(directory: root)) == archived([1, 2, 4, 6, 8, 9, 11, 15, 16]))
        }
    }

    @Test func archivingTheSameRangeAgainKeepsOneSegmentHoldingEveryRecordOfBoth() async throws {
        try await withTemporaryDirectory { root in
            let writer = ArchiveWriter(directory: root)
            let path = try #require(try writer.write(records: archived([1, 5, 9])))
            #expect(try writer.write(records: archived([1, 5, 9])) == path)
            #expect(try writer.write(records: archived([1, 9])) == path, "records already archived are not written again")
            #expect(try writer.write(records: archived([1, 3, 9])) == path)
            let reader = try ArchiveReader(directory: root)
            #expect(try reader.segments().map(\.path) == [path])
            #expect(try everything(in: reader) == archived([1, 3, 5, 9]))
            #expect(try FileManager.default.contentsOfDirectory(atPath: root) == [(path as NSString).lastPathComponent])
        }
    }

    @Test func segmentsThatDisagreeAboutARecordAreAnErrorNamingBoth() async throws {
        try await withTemporaryDirectory { root in
            let writer = ArchiveWriter(directory: root)
            let first = try #require(try writer.write(records: archived([1, 2, 3])))
            var forged = archived([3, 4])
            forged[0].bytes = Array("forged".utf8)
            let second = try #require(try writer.write(records: forged))
            let error = #expect(throws: ArchiveError.self) { try everything(in: ArchiveReader(directory: root)) }
            #expect(error?.description == "record 3 differs between \(first) and \(second)")

            let sameRange = #expect(throws: ArchiveError.self) { try writer.write(records: archived([3, 4])) }
            #expect(sameRange?.description == "record 3 differs between \(second) and the records to archive")
        }
    }

    @Test func nothingToArchiveWritesNothing() async throws {
        try await withTemporaryDirectory { root throws in
            #expect(try ArchiveWriter(directory: root + "/archive").write(records: []) == nil)
            #expect(!FileManager.default.fileExists(atPath: root + "/archive"))
        }
    }

    @Test func recordsOutOfOrderAreRefused() async throws {
        try await withTemporaryDirectory { root throws in
            let error = #expect(throws: ArchiveError.self) {
                try ArchiveWriter(directory: root).write(records: archived([1, 3, 3]))
            }
            #expect(error?.description == "records to archive must be in ascending sequence order, and 3 follows 3")
            #expect(try FileManager.default.contentsOfDirectory(atPath: root).isEmpty)
        }
    }

    @Test func segmentsAreMode0600InADirectoryCreatedWithMode0700() async throws {
        try await withTemporaryDirectory { root in
            let path = try #require(try ArchiveWriter(directory: root + "/archive").write(records: archived([1])))
            #expect(try permissions(of: root + "/archive") == 0o700)
            #expect(try permissions(of: path) == 0o600)
        }
    }

    @Test func aTemporaryFileLeftByAnInterruptedWriteIsReplacedAndNeverRead() async throws {
        try await withTemporaryDirectory { root in
            let segment = root + "/segment-00000000000000000001-00000000000000000002.hla"
            try Data("half a segment".utf8).write(to: URL(fileURLWithPath: segment + ".tmp"))
            #expect(try everything(in: ArchiveReader(directory: root)).isEmpty)
            #expect(try ArchiveWriter(directory: root).write(records: archived([1, 2])) == segment)
            #expect(try everything(in: ArchiveReader(directory: root)) == archived([1, 2]))
            #expect(!FileManager.default.fileExists(atPath: segment + ".tmp"))
        }
    }

    @Test func aMissingOrUnlistableDirectoryIsOneClearError() async throws {
        try await withTemporaryDirectory { root in
            let missing = #expect(throws: ArchiveError.self) { try ArchiveReader(directory: root + "/nowhere") }
            #expect(missing?.description == "archive directory \(root)/nowhere does not exist")
            try Data().write(to: URL(fileURLWithPath: root + "/file"))
            let file = #expect(throws: ArchiveError.self) { try ArchiveReader(directory: root + "/file") }
            #expect(file?.description == "archive directory \(root)/file is not a directory")
            let writing = #expect(throws: ArchiveError.self) {
                try ArchiveWriter(directory: root + "/file").write(records: archived([1]))
            }
            #expect(writing?.description == "archive directory \(root)/file is not a directory")
        }
    }
}

/// Records at `sequences` whose bytes say which record they are.
func archived(_ sequences: [UInt64]) -> [ArchivedRecord] {
    sequences.map { ArchivedRecord(sequence: $0, bytes: Array("record \($0)".utf8)) }
}

/// Every record `reader` gives after `after`.
func everything(in reader: ArchiveReader, after: UInt64 = 0) throws -> [ArchivedRecord] {
    var records: [ArchivedRecord] = []
    try reader.forEachRecord(after: after) { record in
        records.append(record)
        return true
    }
    return records
}

private func permissions(of path: String) throws -> Int? {
    try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
}
