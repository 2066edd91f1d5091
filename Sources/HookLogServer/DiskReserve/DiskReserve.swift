/// The free space `hooklog serve` keeps on its data directory's file system for what the log already owes
/// (docs/operations.md, The disk reserve): while less is free, requests that add events are refused with
/// `507 insufficient_storage` and `/healthz` answers `503 disk_low`, and the attempts and e-mails already owed go on
/// being made and recorded in the room left. Writes resume by themselves once space is freed.
public struct DiskReserve: Sendable {
    /// The reserve `--min-free-disk` keeps unless told otherwise.
    public static let standard = ByteSize(bytes: 512 << 20)

    /// The data directory whose file system is watched.
    public var directory: String
    /// The free space to keep; zero turns the refusals off, and the disk is still measured for the metrics.
    public var size: ByteSize

    /// A reserve of `size` on the file system of `directory`.
    public init(directory: String, size: ByteSize = Self.standard) {
        self.directory = directory
        self.size = size
    }
}
