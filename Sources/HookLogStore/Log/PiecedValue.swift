/// A value of any length kept in one database as numbered pieces small enough to live in a leaf page: under the
/// value's name, a zero byte and the piece's number (4 bytes, big-endian), so that the pieces come in order.
///
/// LMDB keeps a value too large for a leaf page on a run of contiguous overflow pages. A large value rewritten often,
/// at a size that drifts, as the base snapshot is at every compaction pass and the checkpoint every
/// ``LogStore/Options/checkpointInterval`` records, seldom finds a freed run it fits in: the data file grew by the
/// value's size at each rewrite while single-page writes took the freed runs apart (a million-byte base rewritten at
/// each of a simulated log's hundred passes left a 173 MB file holding 3 MB). A piece takes one page, which any freed
/// page can hold.
///
/// Storage formats up to 7 kept the value whole under its bare name; it is read from there while no piece exists,
/// and removed when the value is written in pieces.
struct PiecedValue {
    /// Bytes per piece: two pieces with their keys fill a 4,096-byte page, each within the largest entry LMDB keeps
    /// in a leaf page of that size (2,038 bytes, key and header included).
    static let pieceBytes = 1_900

    /// The value's name: the key it had whole, and the start of its pieces' keys.
    let name: [UInt8]
    let database: LMDBDatabase

    /// The value named `name` in `database`.
    init(name: [UInt8], in database: LMDBDatabase) {
        self.name = name
        self.database = database
    }

    /// Replaces the stored value with `bytes`: writes its pieces, then removes those a longer value left and the
    /// whole value of an older format.
    func write(_ bytes: [UInt8], in transaction: borrowing WriteTransaction) throws {
        var number: UInt32 = 0
        var start = 0
        repeat {
            let end = min(start + Self.pieceBytes, bytes.count)
            try transaction.put(Array(bytes[start..<end]), forKey: key(ofPiece: number), in: database)
            number += 1
            start = end
        } while start < bytes.count
        while try transaction.delete(key(ofPiece: number), in: database) { number += 1 }
        _ = try transaction.delete(name, in: database)
    }

    /// Runs `body` with the whole stored value; nil when there is none. The buffer is valid only inside `body`.
    func withValue<T, Access>(
        in transaction: borrowing LMDBTransaction<Access>, _ body: (UnsafeRawBufferPointer) throws -> T
    ) throws -> T? {
        var bytes: [UInt8] = []
        var pieces = 0
        try transaction.scan(database, from: key(ofPiece: 0)) { key, value in
            guard isPiece(key) else { return false }
            bytes.append(contentsOf: value)
            pieces += 1
            return true
        }
        guard pieces > 0 else { return try transaction.withValue(name, in: database, body) }
        return try bytes.withUnsafeBytes(body)
    }

    /// Runs `body` with the stored value's first piece (or the whole value of an older format), which holds its first
    /// ``pieceBytes`` bytes; nil when there is none.
    func withFirstPiece<T, Access>(
        in transaction: borrowing LMDBTransaction<Access>, _ body: (UnsafeRawBufferPointer) throws -> T
    ) throws -> T? {
        try transaction.withValue(key(ofPiece: 0), in: database, body) ?? transaction.withValue(name, in: database, body)
    }

    private func key(ofPiece number: UInt32) -> [UInt8] {
        name + [0] + withUnsafeBytes(of: number.bigEndian) { Array($0) }
    }

    /// Whether `key` is the key of one of this value's pieces.
    func isPiece(_ key: UnsafeRawBufferPointer) -> Bool {
        key.count == name.count + 5 && key.starts(with: name) && key[name.count] == 0
    }
}
