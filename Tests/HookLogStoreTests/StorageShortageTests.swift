import CLMDB
import Foundation
@testable import HookLogStore
import HookLogTestSupport
import Testing

@Suite("Telling a full disk from a fault")
struct StorageShortageTests {
    @Test("no space, a quota reached and a map that cannot grow are shortages, whatever the disk says")
    func lackOfRoom() {
        for code in [ENOSPC, EDQUOT, MDB_MAP_FULL] {
            let shortage = StorageShortage(LMDBError(code: code, operation: "mdb_txn_commit"), attemptedBytes: 10) { nil }
            #expect(shortage?.description == LMDBError(code: code, operation: "mdb_txn_commit").description)
        }
    }

    @Test("LMDB's EIO for a short page write is a shortage only while the disk has less room than the commit wrote")
    func shortWrite() {
        let error = LMDBError(code: EIO, operation: "mdb_txn_commit")
        let margin = StorageShortage.shortWriteMargin
        #expect(StorageShortage(error, attemptedBytes: 300_000) { 0 } != nil)
        #expect(StorageShortage(error, attemptedBytes: 300_000) { 300_000 + margin - 1 } != nil)
        #expect(StorageShortage(error, attemptedBytes: 300_000) { 300_000 + margin } == nil, "a disk with room: a fault")
        #expect(StorageShortage(error, attemptedBytes: 300_000) { nil } == nil, "an unmeasurable disk: a fault")
    }

    @Test("every other failure is a fault: a file size limit, a panicked environment, an error of another kind")
    func faults() {
        #expect(StorageShortage(LMDBError(code: EFBIG, operation: "mdb_txn_commit"), attemptedBytes: 10) { 0 } == nil)
        #expect(StorageShortage(LMDBError(code: MDB_PANIC, operation: "mdb_txn_begin"), attemptedBytes: 10) { 0 } == nil)
        #expect(StorageShortage(StoreError.closed, attemptedBytes: 10) { 0 } == nil)
    }

    @Test("the disk is measured as free space of its file system and the blocks of data.mdb")
    func measure() async throws {
        try await withTemporaryDirectory { directory in
            #expect(try DiskUsage.measure(directory).dataFileBytes == 0, "no data file yet")
            let store = try LogStore(directory: directory + "/data")
            await store.close()
            let usage = try DiskUsage.measure(directory + "/data")
            #expect(usage.freeBytes > 0)
            #expect(usage.dataFileBytes > 0 && usage.dataFileBytes % 512 == 0)
            #expect(throws: DataDirectoryError.self) { try DiskUsage.measure(directory + "/missing") }
        }
    }
}
