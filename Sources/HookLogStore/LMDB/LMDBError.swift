import CLMDB

/// A failed LMDB call: the code it returned and the function that returned it.
public struct LMDBError: Error, CustomStringConvertible, Equatable {
    /// LMDB's return code: one of its `MDB_*` codes, or an `errno` value.
    public let code: Int32
    /// The LMDB function that failed, such as `mdb_put`.
    public let operation: String

    /// Creates the error for `code` returned by `operation`.
    public init(code: Int32, operation: String) {
        self.code = code
        self.operation = operation
    }

    /// `"<operation>: <LMDB's text for the code>"`, such as
    /// `mdb_put: MDB_KEYEXIST: Key/data pair already exists`.
    public var description: String {
        "\(operation): \(String(cString: mdb_strerror(code)))"
    }

    /// Whether the memory map is full (`MDB_MAP_FULL`).
    ///
    /// ``LMDBEnvironment/write(_:)`` handles this itself by growing the map, so it reaches callers only
    /// when growing failed.
    public var isMapFull: Bool {
        code == MDB_MAP_FULL
    }

    /// Throws the error for `rc` unless it is `MDB_SUCCESS`; every LMDB return code in this module goes
    /// through here.
    static func check(_ rc: Int32, _ operation: String) throws(LMDBError) {
        guard rc == MDB_SUCCESS else {
            throw LMDBError(code: rc, operation: operation)
        }
    }
}
