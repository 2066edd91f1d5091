import HookLogCore

extension Timestamp {
    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The instant as an RFC 5322 §3.3 date in UTC, as the Date header carries it: `Wed, 25 Nov 2026 20:02:04 +0000`.
    /// Computed from ``rfc3339`` (so without locales); instants outside ``representable`` are clamped into it.
    var rfc5322: String {
        let clamped = Timestamp(milliseconds: min(max(milliseconds, Self.representable.lowerBound), Self.representable.upperBound))
        // rfc3339 is "yyyy-MM-ddTHH:mm:ss.SSSZ".
        let text = Array(clamped.rfc3339.utf8)
        func field(_ start: Int, _ length: Int) -> String { String(decoding: text[start..<start + length], as: UTF8.self) }
        let days = clamped.milliseconds >= 0
            ? clamped.milliseconds / 86_400_000
            : (clamped.milliseconds + 1) / 86_400_000 - 1
        // 1970-01-01 was a Thursday.
        let weekday = Self.weekdays[Int(((days + 4) % 7 + 7) % 7)]
        let month = Self.months[Int(field(5, 2))! - 1]
        return "\(weekday), \(field(8, 2)) \(month) \(field(0, 4)) \(field(11, 8)) +0000"
    }
}
