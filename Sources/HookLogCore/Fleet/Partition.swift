/// One of the 64 shares a fleet divides its workspaces into (docs/postgres.md): a workspace belongs to the partition
/// its id's text hashes to (FNV-1a, 64 bits), so every node, every build and every restart agree without asking.
public struct Partition: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// How many partitions there are.
    public static let count = 64

    /// The partition's number, from 0 to 63.
    public let number: Int

    /// The partition numbered `number`; nil outside 0..<64.
    public init?(number: Int) {
        guard (0..<Self.count).contains(number) else { return nil }
        self.number = number
    }

    /// The partition `workspace` belongs to.
    public init(of workspace: WorkspaceID) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in workspace.rawValue.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        number = Int(hash % UInt64(Self.count))
    }

    /// Every partition, in order.
    public static var all: [Partition] { (0..<count).map { Partition(unchecked: $0) } }

    private init(unchecked number: Int) {
        self.number = number
    }

    public static func < (left: Partition, right: Partition) -> Bool {
        left.number < right.number
    }

    public var description: String { String(number) }
}
