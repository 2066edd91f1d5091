import Hummingbird

/// The API's `Health` (`{"status": "ok", "last_sequence": N}`) or `HealthUnavailable`
/// (`{"status": "unavailable", "reason": "writer_failed"}`, or `"disk_low"`).
enum HealthJSON: ResponseEncodable {
    case ok(lastSequence: UInt64)
    case writerFailed
    case diskLow

    private enum CodingKeys: String, CodingKey {
        case status, reason
        case lastSequence = "last_sequence"
    }

    func encode(to encoder: any Encoder) throws {
        var fields = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .ok(let lastSequence):
            try fields.encode("ok", forKey: .status)
            try fields.encode(lastSequence, forKey: .lastSequence)
        case .writerFailed:
            try fields.encode("unavailable", forKey: .status)
            try fields.encode("writer_failed", forKey: .reason)
        case .diskLow:
            try fields.encode("unavailable", forKey: .status)
            try fields.encode("disk_low", forKey: .reason)
        }
    }
}
