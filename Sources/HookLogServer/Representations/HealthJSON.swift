import HookLogCore
import HookLogStore
import Hummingbird

/// The API's `Health` (`{"status": "ok", "last_sequence": N}`, with `"fleet"` on a fleet's node) or
/// `HealthUnavailable` (`{"status": "unavailable", "reason": "writer_failed"}`, `"store_unavailable"`, `"disk_low"`
/// or `"backlog_full"`).
enum HealthJSON: ResponseEncodable {
    case ok(lastSequence: UInt64, fleet: FleetStanding?)
    case writerFailed
    /// The log's storage (a PostgreSQL database) does not answer: writes are refused with 503 until it does.
    case storeUnavailable
    case diskLow
    /// The log's write queue is at `--max-write-backlog`: writes are refused with 429 until it drains.
    case backlogFull

    private enum CodingKeys: String, CodingKey {
        case status, reason, fleet
        case lastSequence = "last_sequence"
    }

    /// The API's `FleetNode`.
    private struct FleetJSON: Encodable {
        let node: String
        let url: String?
        let nodes: Int
        let partitions: [Int]
        let delivering: [Int]

        init(_ fleet: FleetStanding) {
            node = fleet.node
            url = fleet.url
            nodes = fleet.nodes
            partitions = fleet.held.keys.map(\.number).sorted()
            delivering = fleet.delivering.map(\.number)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var fields = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .ok(let lastSequence, let fleet):
            try fields.encode("ok", forKey: .status)
            try fields.encode(lastSequence, forKey: .lastSequence)
            try fields.encodeIfPresent(fleet.map(FleetJSON.init), forKey: .fleet)
        case .writerFailed:
            try fields.encode("unavailable", forKey: .status)
            try fields.encode("writer_failed", forKey: .reason)
        case .storeUnavailable:
            try fields.encode("unavailable", forKey: .status)
            try fields.encode("store_unavailable", forKey: .reason)
        case .diskLow:
            try fields.encode("unavailable", forKey: .status)
            try fields.encode("disk_low", forKey: .reason)
        case .backlogFull:
            try fields.encode("unavailable", forKey: .status)
            try fields.encode("backlog_full", forKey: .reason)
        }
    }
}
