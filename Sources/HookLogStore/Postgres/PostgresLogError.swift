/// Why a PostgreSQL log cannot be opened or written.
public enum PostgresLogError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A newer HookLog migrated the database's tables to this version.
    case newerSchema(Int32)
    /// The database holds no HookLog log.
    case noLog(String)
    /// The database already holds a log, of this many records, where an empty one is needed.
    case notEmpty(UInt64)
    /// The database does not answer, or refuses the sign-in, for this reason.
    case unreachable(String)
    /// The operation is not built for PostgreSQL yet.
    case unsupported(String)
    /// A fold up to this sequence was asked of a log whose base snapshot is later.
    case compactedPast(UInt64)

    public var description: String {
        switch self {
        case .newerSchema(let version):
            "the database was migrated by a newer HookLog (schema \(version)); this build reads schema \(PostgresSchema.version)"
        case .noLog(let address):
            "\(address) holds no HookLog log (run 'hooklog serve --store' or 'hooklog migrate' to create one)"
        case .notEmpty(let records):
            "the database already holds a log of \(records) records; copy into an empty database"
        case .unreachable(let reason):
            "cannot sign in to the log's database \(reason)"
        case .unsupported(let what):
            "\(what) is not available on a PostgreSQL log yet"
        case .compactedPast(let sequence):
            "the log was compacted past record \(sequence), so its state there cannot be folded again"
        }
    }
}
