import Foundation
@testable import HookLogStore
import HookLogTestSupport
import Testing

@Suite("LMDB environment")
struct LMDBEnvironmentTests {
    @Test func aValuePutIsReadBackUntilItIsDeleted() async throws {
        try await withTemporaryDirectory { directory in
            let env = try LMDBEnvironment(directory: directory)
            let db = try env.database("things")
            try env.write { txn in
                try txn.put(Array("one".utf8), forKey: Array("a".utf8), in: db)
                try Array("two".utf8).withUnsafeBytes { try txn.put($0, forKey: Array("b".utf8), in: db) }
            }
            let (a, b, c, count) = try env.read { txn in
                (
                    try txn.get(Array("a".utf8), in: db),
                    try txn.withValue(Array("b".utf8), in: db) { String(decoding: $0, as: UTF8.self) },
                    try txn.withValue(Array("c".utf8), in: db) { $0.count },
                    try txn.count(of: db)
                )
            }
            #expect(a == Array("one".utf8))
            #expect(b == "two")
            #expect(c == nil)
            #expect(count == 2)
            let deleted = try env.write { txn in
                [try txn.delete(Array("a".utf8), in: db), try txn.delete(Array("a".utf8), in: db)]
            }
            #expect(deleted == [true, false])
            #expect(try env.read { txn in try txn.get(Array("a".utf8), in: db) } == nil)
        }
    }

    @Test func scansFollowNumericOrderOfBigEndianKeys() async throws {
        try await withTemporaryDirectory { directory in
            let env = try LMDBEnvironment(directory: directory)
            let db = try env.database("log")
            // Even numbers 2…600, so that 255 → 256 crosses a byte and odd starts fall between keys.
            try env.write { txn in
                for n in stride(from: 2 as UInt64, through: 600, by: 2) {
                    try txn.put(Array("v\(n)".utf8), forKey: key(n), in: db)
                }
            }
            try env.read { txn in
                #expect(try scanned(txn, db).count == 300)
                #expect(try scanned(txn, db) == Array(stride(from: 2, through: 600, by: 2)))
                #expect(try scanned(txn, db, limit: 3, from: 254) == [254, 256, 258])
                #expect(try scanned(txn, db, limit: 3, from: 255) == [256, 258, 260])
                #expect(try scanned(txn, db, from: 1000) == [])
                #expect(try scanned(txn, db, limit: 3, reverse: true) == [600, 598, 596])
                #expect(try scanned(txn, db, limit: 3, from: 256, reverse: true) == [256, 254, 252])
                #expect(try scanned(txn, db, limit: 3, from: 257, reverse: true) == [256, 254, 252])
                #expect(try scanned(txn, db, limit: 2, from: 1000, reverse: true) == [600, 598])
                #expect(try scanned(txn, db, from: 1, reverse: true) == [])
                #expect(try txn.lastKey(in: db) == key(600))
                var values: [String] = []
                try txn.scan(db, from: key(300)) { _, value in
                    values.append(String(decoding: value, as: UTF8.self))
                    return values.count < 2
                }
                #expect(values == ["v300", "v302"])
            }
            let empty = try env.database("empty")
            let (lastKey, forward, backward) = try env.read { txn in
                (try txn.lastKey(in: empty), try scanned(txn, empty), try scanned(txn, empty, reverse: true))
            }
            #expect(lastKey == nil)
            #expect(forward.isEmpty && backward.isEmpty)
        }
    }

    @Test func appendingAKeyOutOfOrderFailsWithKeyExist() async throws {
        try await withTemporaryDirectory { directory in
            let env = try LMDBEnvironment(directory: directory)
            let db = try env.database("log")
            try env.write { txn in
                try txn.put([1], forKey: key(1), in: db, append: true)
                try txn.put([2], forKey: key(2), in: db, append: true)
            }
            let error = #expect(throws: LMDBError.self) {
                try env.write { txn in try txn.put([1], forKey: key(1), in: db, append: true) }
            }
            #expect(error?.operation == "mdb_put")
            #expect(error?.description.contains("MDB_KEYEXIST") == true)
            #expect(error?.isMapFull == false)
            #expect(try env.read { txn in try txn.get(key(1), in: db) } == [1])
        }
    }

    @Test func aWriteWhoseBodyThrowsLeavesNothingWritten() async throws {
        struct Refused: Error {}
        try await withTemporaryDirectory { directory in
            let env = try LMDBEnvironment(directory: directory)
            let db = try env.database("log")
            #expect(throws: Refused.self) {
                try env.write { txn in
                    try txn.put([1], forKey: key(1), in: db)
                    throw Refused()
                }
            }
            #expect(try env.read { txn in try txn.count(of: db) } == 0)
        }
    }

    @Test func oneWriteLargerThanTheMapGrowsItAndRunsAgain() async throws {
        try await withTemporaryDirectory { directory in
            let env = try LMDBEnvironment(directory: directory, options: .init(mapSize: 1 << 20))
            let db = try env.database("log")
            var runs = 0
            let countInside = try env.write { txn in
                runs += 1
                for n in 0..<1_000 as Range<UInt64> {
                    try txn.put(page(n), forKey: key(n), in: db, append: true)
                }
                return try consistentCount(txn, db)
            }
            #expect(runs > 1)
            #expect(countInside == 1_000)
            #expect(env.mapSize > 4 << 20)
            #expect(try env.read { txn in try consistentCount(txn, db) } == 1_000)
        }
    }

    @Test func manySmallWritesGrowTheMapAsTheyGo() async throws {
        try await withTemporaryDirectory { directory in
            let env = try LMDBEnvironment(directory: directory, options: .init(mapSize: 1 << 20))
            let db = try env.database("log")
            for n in 0..<1_000 as Range<UInt64> {
                try env.write { txn in try txn.put(page(n), forKey: key(n), in: db, append: true) }
            }
            #expect(env.mapSize > 4 << 20)
            #expect(try env.read { txn in try consistentCount(txn, db) } == 1_000)
        }
    }

    @Test func aBodyThatSwallowsMapFullStillGetsABiggerMap() async throws {
        try await withTemporaryDirectory { directory in
            let env = try LMDBEnvironment(directory: directory, options: .init(mapSize: 1 << 20))
            let db = try env.database("log")
            try env.write { txn in
                for n in 0..<1_000 as Range<UInt64> {
                    try? txn.put(page(n), forKey: key(n), in: db, append: true)
                }
            }
            #expect(try env.read { txn in try consistentCount(txn, db) } == 1_000)
        }
    }

    @Test func aMapGrownByAnotherEnvironmentIsAdopted() async throws {
        try await withTemporaryDirectory { directory in
            // A second handle on the same files stands in for another process. LMDB advises against two
            // handles in one process only because closing one drops the process's file locks.
            let env = try LMDBEnvironment(directory: directory, options: .init(mapSize: 1 << 20))
            let db = try env.database("log")
            let other = try LMDBEnvironment(directory: directory, options: .init(mapSize: 1 << 20))
            let otherDB = try other.database("log")
            try other.write { txn in
                for n in 0..<1_000 as Range<UInt64> {
                    try txn.put(page(n), forKey: key(n), in: otherDB, append: true)
                }
            }
            #expect(env.mapSize == 1 << 20)
            #expect(try env.read { txn in try consistentCount(txn, db) } == 1_000)
            #expect(env.mapSize == other.mapSize)
        }
    }

    @Test func readersSeeWholeCommitsWhileAWriterGrowsTheMap() async throws {
        let batches = 100
        let batchSize = 5
        try await withTemporaryDirectory { directory in
            let env = try LMDBEnvironment(directory: directory, options: .init(mapSize: 1 << 20))
            let db = try env.database("log")
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for batch in 0..<batches {
                        try env.write { txn in
                            for n in UInt64(batch * batchSize)..<UInt64((batch + 1) * batchSize) {
                                try txn.put(page(n), forKey: key(n), in: db, append: true)
                            }
                        }
                        // On a cooperative pool as small as the machine, let the readers have turns.
                        await Task.yield()
                    }
                }
                for _ in 0..<4 {
                    group.addTask {
                        var seen = 0
                        while seen < batches * batchSize, !Task.isCancelled {
                            seen = try env.read { txn in try consistentCount(txn, db) }
                            #expect(seen % batchSize == 0)
                            await Task.yield()
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(env.mapSize > 1 << 20)
        }
    }

    @Test func dataOutlivesTheEnvironmentThatWroteIt() async throws {
        try await withTemporaryDirectory { directory in
            do {
                let env = try LMDBEnvironment(directory: directory, options: .init(mapSize: 1 << 20))
                let db = try env.database("log")
                for n in 0..<400 as Range<UInt64> {
                    try env.write { txn in try txn.put(page(n), forKey: key(n), in: db, append: true) }
                }
                try env.sync()
            }
            let reopened = try LMDBEnvironment(directory: directory, options: .init(mapSize: 1 << 20))
            let db = try reopened.database("log")
            #expect(try reopened.read { txn in try consistentCount(txn, db) } == 400)
        }
    }

    @Test func aReadOnlyEnvironmentReadsButCannotCreate() async throws {
        try await withTemporaryDirectory { directory in
            do {
                let env = try LMDBEnvironment(directory: directory)
                let db = try env.database("log")
                try env.write { txn in try txn.put([7], forKey: key(7), in: db) }
            }
            let env = try LMDBEnvironment(directory: directory, options: .init(readOnly: true))
            let db = try env.database("log")
            #expect(try env.read { txn in try txn.get(key(7), in: db) } == [7])
            let missing = #expect(throws: LMDBError.self) { try env.database("absent") }
            #expect(missing?.operation == "mdb_dbi_open")
            #expect(missing?.description.contains("MDB_NOTFOUND") == true)
            #expect(throws: LMDBError.self) {
                try env.write { txn in try txn.put([8], forKey: key(8), in: db) }
            }
        }
    }

    @Test func aReadOnlyOpenOfADirectoryWithoutAnEnvironmentFails() async throws {
        try await withTemporaryDirectory { directory in
            let error = #expect(throws: LMDBError.self) {
                try LMDBEnvironment(directory: directory, options: .init(readOnly: true))
            }
            #expect(error == LMDBError(code: ENOENT, operation: "mdb_env_open"))
            #expect(error?.description == "mdb_env_open: No such file or directory")
        }
    }

    @Test(arguments: [false, true])
    func aCopyReopensWithTheSameData(compact: Bool) async throws {
        try await withTemporaryDirectory { directory in
            let source = directory + "/source"
            let copy = directory + "/copy"
            try DataDirectory.create(at: source)
            try DataDirectory.create(at: copy)
            let env = try LMDBEnvironment(directory: source, options: .init(mapSize: 1 << 20))
            let db = try env.database("log")
            for n in 0..<300 as Range<UInt64> {
                try env.write { txn in try txn.put(page(n), forKey: key(n), in: db, append: true) }
            }
            let deleted = try env.write { txn in
                try (0..<100 as Range<UInt64>).filter { try txn.delete(key($0), in: db) }.count
            }
            #expect(deleted == 100)
            try env.copy(to: copy, compact: compact)
            let copied = try LMDBEnvironment(directory: copy, options: .init(readOnly: true))
            let copiedDB = try copied.database("log")
            let (count, firstLeft, lastKey) = try copied.read { txn in
                (try consistentCount(txn, copiedDB, from: 100), try txn.get(key(100), in: copiedDB), try txn.lastKey(in: copiedDB))
            }
            #expect(count == 200)
            #expect(firstLeft == page(100))
            #expect(lastKey == key(299))
            #expect(throws: LMDBError.self) { try env.copy(to: copy, compact: compact) }
        }
    }

    @Test func aMapThatCannotGrowFailsTheWriteWithMapFullAndLeavesTheEnvironmentWorking() async throws {
        try await withTemporaryDirectory { directory in
            let env = try LMDBEnvironment(directory: directory, options: .init(mapSize: 1 << 20))
            let db = try env.database("log")
            try env.write { txn in try txn.put(page(1), forKey: key(1), in: db) }
            // No process can map 4 EiB: LMDB drops the old map, fails to make the new one, and is left without any.
            let error = #expect(throws: LMDBError.self) { try env.resizeMap(from: 1 << 20, to: 1 << 62) }
            #expect(error?.isMapFull == true)
            #expect(error?.description.contains("the map cannot grow") == true, "\(String(describing: error))")
            #expect(env.mapSize == 1 << 20)
            #expect(try env.read { txn in try txn.get(key(1), in: db) } == page(1))
            try env.write { txn in try txn.put(page(2), forKey: key(2), in: db) }
            #expect(try env.read { txn in try consistentCount(txn, db, from: 1) } == 2)
        }
    }

    @Test func reopeningKeepsEveryDatabaseHandleAndEveryCommit() async throws {
        try await withTemporaryDirectory { directory in
            let env = try LMDBEnvironment(directory: directory, options: .init(mapSize: 1 << 20))
            let first = try env.database("first")
            let second = try env.database("second")
            try env.write { txn in
                try txn.put([1], forKey: key(1), in: first)
                try txn.put([2], forKey: key(2), in: second)
            }
            try env.lock.withExclusive { try env.reopen(mapSize: 2 << 20) }
            #expect(env.mapSize == 2 << 20)
            #expect(try env.read { txn in [try txn.get(key(1), in: first), try txn.get(key(2), in: second)] } == [[1], [2]])
            try env.write { txn in try txn.put([3], forKey: key(3), in: second) }
            let third = try env.database("third")
            #expect(third.handle != first.handle && third.handle != second.handle)
            #expect(try env.read { txn in try txn.count(of: second) } == 2)
        }
    }

    @Test func anEnvironmentThatIsNotInPanicIsNotReopened() async throws {
        try await withTemporaryDirectory { directory in
            let env = try LMDBEnvironment(directory: directory, options: .init(mapSize: 1 << 20))
            let db = try env.database("log")
            try env.write { txn in try txn.put([1], forKey: key(1), in: db) }
            #expect(try env.reopenIfPanicked() == false)
            #expect(try env.read { txn in try txn.get(key(1), in: db) } == [1])
            env.close()
            #expect(throws: LMDBError(code: EBADF, operation: "mdb_txn_begin (environment closed)")) { try env.reopenIfPanicked() }
        }
    }
}

/// The big-endian bytes of `n`: LMDB's bytewise order of such keys is numeric order.
private func key(_ n: UInt64) -> [UInt8] {
    withUnsafeBytes(of: n.bigEndian) { Array($0) }
}

/// The number whose big-endian bytes are `bytes`.
private func number(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self))
}

/// A 4 KiB value made for key `n`: every byte is `n`'s low byte.
private func page(_ n: UInt64) -> [UInt8] {
    [UInt8](repeating: UInt8(truncatingIfNeeded: n), count: 4096)
}

/// The numbers of the keys a scan visits, stopping after `limit` of them.
private func scanned(
    _ txn: borrowing ReadTransaction,
    _ db: LMDBDatabase,
    limit: Int = .max,
    from start: UInt64? = nil,
    reverse: Bool = false
) throws -> [UInt64] {
    var numbers: [UInt64] = []
    try txn.scan(db, from: start.map(key), reverse: reverse) { key, _ in
        numbers.append(number(key))
        return numbers.count < limit
    }
    return numbers
}

/// Checks that `db` holds exactly the keys first..<first + n, each with its `page`, and returns n; in a
/// transaction of either kind.
private func consistentCount<Access>(
    _ txn: borrowing LMDBTransaction<Access>,
    _ db: LMDBDatabase,
    from first: UInt64 = 0
) throws -> Int {
    let count = try txn.count(of: db)
    var next = first
    var pagesMatch = true
    try txn.scan(db) { key, value in
        let n = number(key)
        let byte = UInt8(truncatingIfNeeded: n)
        pagesMatch = pagesMatch && n == next && value.count == 4096 && value.first == byte && value.last == byte
        next += 1
        return true
    }
    #expect(pagesMatch)
    #expect(Int(next - first) == count)
    return count
}
