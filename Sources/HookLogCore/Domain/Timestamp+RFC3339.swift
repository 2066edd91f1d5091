extension Timestamp {
    /// Instants that RFC 3339 text can name: years 0000 to 9999. Others are shown as raw milliseconds.
    public static let representable = Int64(-62_167_219_200_000)...Int64(253_402_300_799_999)

    /// The instant as RFC 3339 text in UTC with milliseconds: `2026-11-25T20:02:04.123Z` (for an instant outside
    /// ``representable``, its milliseconds since the epoch and `ms`).
    public var rfc3339: String {
        guard Self.representable.contains(milliseconds) else { return "\(milliseconds)ms" }
        let days = milliseconds.floorDivided(by: 86_400_000)
        let millisecondOfDay = milliseconds - days * 86_400_000
        let (year, month, day) = Self.civilDate(fromDays: days)
        let secondOfDay = millisecondOfDay / 1000
        // Written byte by byte into its 24 bytes: every response and log line carries times, and interpolating
        // padded pieces made a dozen strings for each.
        return String(unsafeUninitializedCapacity: 24) { text in
            var end = 0
            func put(_ value: Int64, _ width: Int, then separator: Unicode.Scalar) {
                var value = value
                for position in (end..<end + width).reversed() {
                    text[position] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
                text[end + width] = UInt8(ascii: separator)
                end += width + 1
            }
            put(year, 4, then: "-")
            put(month, 2, then: "-")
            put(day, 2, then: "T")
            put(secondOfDay / 3600, 2, then: ":")
            put(secondOfDay / 60 % 60, 2, then: ":")
            put(secondOfDay % 60, 2, then: ".")
            put(millisecondOfDay % 1000, 3, then: "Z")
            return end
        }
    }

    /// Parses RFC 3339 text (`2026-11-25T20:02:04Z`, with optional fraction and a `Z` or `±hh:mm` offset),
    /// or a plain number of Unix seconds. Nil for anything else, and for instants outside ``representable``.
    public init?(parsing text: String) {
        if let seconds = Int64(text) {
            guard (Self.representable.lowerBound / 1000...Self.representable.upperBound / 1000).contains(seconds)
            else { return nil }
            self.init(seconds: seconds)
            return
        }
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ width: Int) -> Int64? {
            guard index + width <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[index..<index + width] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            index += width
            return value
        }
        func expect(_ characters: String) -> Bool {
            guard index < bytes.count, characters.utf8.contains(bytes[index]) else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
              expect("Tt "), let hour = number(2), expect(":"), let minute = number(2), expect(":"),
              let second = number(2),
              (1...12).contains(month), (1...Self.daysIn(month: month, year: year)).contains(day),
              hour < 24, minute < 60, second < 61
        else { return nil }
        var millisecond: Int64 = 0
        if expect(".") {
            var digits = 0
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                if digits < 3 { millisecond = millisecond * 10 + Int64(bytes[index] - UInt8(ascii: "0")) }
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 3) { millisecond *= 10 }
        }
        var offsetMinutes: Int64 = 0
        if expect("Zz") {
            offsetMinutes = 0
        } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let sign: Int64 = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            guard let offsetHours = number(2), expect(":"), let offsetMinute = number(2), offsetHours < 24, offsetMinute < 60
            else { return nil }
            offsetMinutes = sign * (offsetHours * 60 + offsetMinute)
        } else {
            return nil
        }
        guard index == bytes.count else { return nil }
        let days = Self.days(fromCivilYear: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60
        guard Self.representable.contains(seconds * 1000 + millisecond) else { return nil }
        self.init(milliseconds: seconds * 1000 + millisecond)
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Howard Hinnant's `civil_from_days`: the proleptic Gregorian date of a day count since 1970-01-01.
    private static func civilDate(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = shifted.floorDivided(by: 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Howard Hinnant's `days_from_civil`: the inverse of ``civilDate(fromDays:)``.
    private static func days(fromCivilYear year: Int64, month: Int64, day: Int64) -> Int64 {
        let adjustedYear = month <= 2 ? year - 1 : year
        let era = adjustedYear.floorDivided(by: 400)
        let yearOfEra = adjustedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
