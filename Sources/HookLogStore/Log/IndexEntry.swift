/// One entry of an index as the storage format 5 lays it out (``LogKeys``): a key and one of its values.
struct IndexEntry: Sendable {
    /// The index.
    var database: LMDBDatabase
    /// The key: a name's number, or a `by_time` run.
    var key: [UInt8]
    /// The value under it that points to one record.
    var value: [UInt8]
}
