import Foundation
@testable import HookLogStore
import HookLogTestSupport
import Testing

@Suite("Values kept in pieces")
struct PiecedValueTests {
    @Test("a value reads back whole at any length; a shorter one leaves no piece of the longer; a whole value of format 7 reads until replaced")
    func valuesReadBackWhole() async throws {
        try await withTemporaryDirectory { directory in
            let environment = try LMDBEnvironment(directory: directory)
            let meta = try environment.database("meta")
            let value = PiecedValue(name: Array("base".utf8), in: meta)
            try environment.write { transaction in
                try transaction.put(Array("format 7".utf8), forKey: Array("base".utf8), in: meta)
                try transaction.put([1], forKey: Array("basement".utf8), in: meta)
            }
            #expect(try environment.read { try value.withValue(in: $0) { Array($0) } } == Array("format 7".utf8))
            for length in [10_000, PiecedValue.pieceBytes, 3, 0, 4_001] {
                let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31) }
                try environment.write { try value.write(bytes, in: $0) }
                let (read, first, entries) = try environment.read { transaction in
                    (try value.withValue(in: transaction) { Array($0) },
                     try value.withFirstPiece(in: transaction) { Array($0) },
                     try transaction.count(of: meta))
                }
                #expect(read == bytes, "\(length) bytes")
                #expect(first == Array(bytes.prefix(PiecedValue.pieceBytes)))
                let pieces = max(1, (length + PiecedValue.pieceBytes - 1) / PiecedValue.pieceBytes)
                #expect(entries == pieces + 1, "the pieces of \(length) bytes and the other key, no whole value left")
            }
            #expect(try environment.read { try $0.get(Array("basement".utf8), in: meta) } == [1])
        }
    }

    @Test("a large value fits in the free pages commits leave scattered, where whole it takes a new run at the file's end")
    func valueFitsScatteredFreePages() async throws {
        func fileGrowth(writing write: (borrowing WriteTransaction, [UInt8], LMDBDatabase) throws -> Void) async throws -> Int {
            try await withTemporaryDirectory { directory in
                let environment = try LMDBEnvironment(directory: directory)
                let meta = try environment.database("meta")
                let log = try environment.database("log")
                // Records of a leaf page each; removing two in every four frees pages two by two, as appends and
                // compaction leave them: a thousand free pages and no run longer than two.
                try environment.write { transaction in
                    for sequence in 0..<2_000 as Range<UInt64> {
                        try transaction.put(Array(repeating: 1, count: 1_900), forKey: LogKeys.sequence(sequence), in: log)
                    }
                }
                try environment.write { transaction in
                    for sequence in 0..<2_000 as Range<UInt64> where sequence / 2 % 2 == 0 {
                        _ = try transaction.delete(LogKeys.sequence(sequence), in: log)
                    }
                }
                // LMDB reuses a commit's freed pages from the second commit after it.
                try environment.write { try $0.put([1], forKey: Array("other".utf8), in: meta) }
                let before = try Self.fileBytes(in: directory)
                try environment.write { try write($0, Array(repeating: 2, count: 200_000), meta) }
                environment.close()
                return try Self.fileBytes(in: directory) - before
            }
        }
        let pieced = try await fileGrowth { transaction, bytes, meta in
            try PiecedValue(name: Array("base".utf8), in: meta).write(bytes, in: transaction)
        }
        let whole = try await fileGrowth { transaction, bytes, meta in
            try transaction.put(bytes, forKey: Array("base".utf8), in: meta)
        }
        #expect(pieced == 0, "in pieces, the value takes free pages: the file grew by \(pieced) bytes")
        #expect(whole >= 200_000, "whole, the value needs a run of contiguous pages: the file grew by \(whole) bytes")
    }

    private static func fileBytes(in directory: String) throws -> Int {
        try FileManager.default.attributesOfItem(atPath: directory + "/data.mdb")[.size] as! Int
    }
}
