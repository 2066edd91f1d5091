import CLMDB

extension MDB_val {
    /// A value that views `bytes`, valid only as long as `bytes` is.
    ///
    /// LMDB never writes through the pointer of a key or data value it is given, so viewing immutable
    /// bytes is safe.
    init(_ bytes: UnsafeRawBufferPointer) {
        self.init(mv_size: bytes.count, mv_data: UnsafeMutableRawPointer(mutating: bytes.baseAddress))
    }

    /// The bytes this value points at: inside LMDB's map when LMDB filled it in, so valid only until the
    /// transaction ends or the next write in it.
    var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: mv_data, count: mv_size)
    }
}
