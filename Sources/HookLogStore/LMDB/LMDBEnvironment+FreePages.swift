import CLMDB

extension LMDBEnvironment {
    /// Bytes of the data file LMDB holds as free pages, which it writes new data into before it grows the file:
    /// what compaction gave back, invisible to the file system. Pages freed so recently that a reader may still see
    /// them count too, so this is what the file will have room for once those readers are done.
    public func freePageBytes() throws -> UInt64 {
        try read { transaction in
            var stat = MDB_stat()
            try LMDBError.check(mdb_stat(transaction.handle, 0, &stat), "mdb_stat")
            var pages: UInt64 = 0
            try transaction.scan(LMDBDatabase(handle: 0)) { _, value in
                // Each free-list entry is an array of page numbers whose first element is their count.
                if value.count >= MemoryLayout<Int>.size { pages += UInt64(value.loadUnaligned(as: Int.self)) }
                return true
            }
            return pages * UInt64(stat.ms_psize)
        }
    }
}
