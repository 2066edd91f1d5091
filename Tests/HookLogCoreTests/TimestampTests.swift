import HookLogCore
import Testing

/// Times are RFC 3339 in the API, the CLI and the request body (docs/rules.md §2: `occurred_at`), and Unix seconds in
/// the `webhook-timestamp` header.
@Suite("Timestamps and RFC 3339")
struct TimestampTests {
    /// Instants and their RFC 3339 text, checked against Python's `datetime`.
    static let known: [(milliseconds: Int64, text: String)] = [
        (0, "1970-01-01T00:00:00.000Z"),
        (1_795_636_924_123, "2026-11-25T20:02:04.123Z"),
        (1_709_208_000_000, "2024-02-29T12:00:00.000Z"),
        (951_782_400_000, "2000-02-29T00:00:00.000Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
        (-14_182_940_000, "1969-07-20T20:17:40.000Z"),
        (-2_208_988_800_000, "1900-01-01T00:00:00.000Z"),
        (-11_670_912_000_001, "1600-02-29T23:59:59.999Z"),
        (-62_135_596_800_000, "0001-01-01T00:00:00.000Z"),
        (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
    ]

    @Test("Instants format as RFC 3339 in UTC with milliseconds, before 1970 and on leap days too")
    func formatting() {
        for (milliseconds, text) in Self.known {
            #expect(Timestamp(milliseconds: milliseconds).rfc3339 == text)
            #expect(Timestamp(milliseconds: milliseconds).description == text)
        }
    }

    @Test("RFC 3339 text parses back to the instant it names")
    func parsingKnownInstants() {
        for (milliseconds, text) in Self.known {
            #expect(Timestamp(parsing: text)?.milliseconds == milliseconds, "\(text)")
        }
    }

    @Test("Offsets are applied: the same instant written in other zones parses to one time")
    func offsetsAreApplied() throws {
        let noonUTC = try #require(Timestamp(parsing: "2024-02-29T12:00:00Z"))
        #expect(Timestamp(parsing: "2024-02-29T14:00:00+02:00") == noonUTC)
        #expect(Timestamp(parsing: "2024-02-29T06:30:00-05:30") == noonUTC)
        #expect(Timestamp(parsing: "2024-03-01T01:45:00+13:45") == noonUTC, "across a month boundary")
        #expect(Timestamp(parsing: "2024-02-29T12:00:00+00:00") == noonUTC)
        #expect(Timestamp(parsing: "2024-02-29T12:00:00-00:00") == noonUTC)
        #expect(Timestamp(parsing: "1969-12-31T23:00:00-01:00")?.milliseconds == 0, "an offset across the epoch")
    }

    @Test("Fractions of a second are read to the millisecond; extra digits are cut, not rounded")
    func fractions() {
        #expect(Timestamp(parsing: "2026-11-25T20:02:04.5Z")?.milliseconds == 1_795_636_924_500)
        #expect(Timestamp(parsing: "2026-11-25T20:02:04.12Z")?.milliseconds == 1_795_636_924_120)
        #expect(Timestamp(parsing: "2026-11-25T20:02:04.123Z")?.milliseconds == 1_795_636_924_123)
        #expect(Timestamp(parsing: "2026-11-25T20:02:04.123999999Z")?.milliseconds == 1_795_636_924_123)
        #expect(Timestamp(parsing: "2026-11-25T20:02:04.000001+00:00")?.milliseconds == 1_795_636_924_000)
        #expect(Timestamp(parsing: "1969-12-31T23:59:59.999Z")?.milliseconds == -1)
    }

    @Test("Lower-case t and z and a space separator are read as RFC 3339 allows")
    func separatorsAndCase() {
        let expected: Int64 = 1_795_636_924_000
        #expect(Timestamp(parsing: "2026-11-25t20:02:04z")?.milliseconds == expected)
        #expect(Timestamp(parsing: "2026-11-25 20:02:04Z")?.milliseconds == expected)
    }

    @Test("A plain number is read as Unix seconds")
    func unixSeconds() {
        #expect(Timestamp(parsing: "1795636924")?.milliseconds == 1_795_636_924_000)
        #expect(Timestamp(parsing: "0")?.milliseconds == 0)
        #expect(Timestamp(parsing: "-86400")?.rfc3339 == "1969-12-31T00:00:00.000Z")
    }

    @Test("Formatting then parsing gives back the same instant, for random instants from year 1 to 9999")
    func roundTrip() {
        var random = SplitMix64(seed: 3339)
        for _ in 0..<20_000 {
            let milliseconds = Int64.random(in: -62_135_596_800_000...253_402_300_799_999, using: &random)
            let instant = Timestamp(milliseconds: milliseconds)
            #expect(Timestamp(parsing: instant.rfc3339) == instant, "\(milliseconds)")
        }
    }

    @Test("Every day from 1896 to 2104 formats as the calendar date it is and parses back")
    func everyDayRoundTrips() {
        let daysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        var milliseconds: Int64 = -2_335_219_200_000  // 1896-01-01, a leap year
        for year in 1896...2104 {
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            for month in 1...12 {
                for day in 1...(daysInMonth[month - 1] + (month == 2 && leap ? 1 : 0)) {
                    let text = "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)T00:00:00.000Z"
                    #expect(Timestamp(milliseconds: milliseconds).rfc3339 == text)
                    #expect(Timestamp(parsing: text)?.milliseconds == milliseconds, "\(text)")
                    milliseconds += 86_400_000
                }
            }
        }
    }

    @Test("Malformed text is not a time",
          arguments: [
              "", "not a date", "2024-02-29", "2024-02-29T12:00:00", "2024-02-29T12:00Z", "24-02-29T12:00:00Z",
              "2024-2-29T12:00:00Z", "2024-13-01T00:00:00Z", "2024-00-10T00:00:00Z", "2024-01-00T00:00:00Z",
              "2024-01-32T00:00:00Z", "2024-01-01T24:00:00Z", "2024-01-01T12:60:00Z", "2024-01-01T12:00:61Z",
              "2024-01-01T12:00:00.Z", "2024-01-01T12:00:00Z trailing", "2024-01-01T12:00:00+0200",
              "2024-01-01T12:00:00+02", "2024-01-01X12:00:00Z", "2024/01/01T12:00:00Z", "１９７０-01-01T00:00:00Z",
              "1e9", "12.5",
          ])
    func malformedTextIsNotATime(text: String) {
        #expect(Timestamp(parsing: text) == nil)
    }

    @Test("A day that its month does not have is not a time",
          arguments: ["2023-02-29T00:00:00Z", "2024-02-30T00:00:00Z", "2100-02-29T00:00:00Z", "2024-04-31T00:00:00Z",
                      "2024-06-31T12:00:00Z", "2024-11-31T12:00:00Z"])
    func nonexistentDaysAreNotTimes(text: String) {
        #expect(Timestamp(parsing: text) == nil)
    }

    @Test("An offset beyond 23:59 is not a time",
          arguments: ["2024-01-01T12:00:00+24:00", "2024-01-01T12:00:00-99:00", "2024-01-01T12:00:00+02:60"])
    func outOfRangeOffsetsAreNotTimes(text: String) {
        #expect(Timestamp(parsing: text) == nil)
    }

    @Test("A number of Unix seconds too large to hold in milliseconds is refused, not a crash",
          arguments: ["9223372036854775807", "-9223372036854775808", "10000000000000000", "-9223372036854776"])
    func hugeUnixSecondsAreRefused(text: String) async {
        await #expect(processExitsWith: .success, "Timestamp(parsing: \"\(text)\")") { [text] in
            precondition(Timestamp(parsing: text) == nil, "parsed")
        }
    }

    @Test("Every time that parses can be formatted again without a crash",
          arguments: ["-9223372036854775", "-9223372036854", "9223372036854775", "0000-01-01T00:00:00Z",
                      "9999-12-31T23:59:60.999-23:59"])
    func everyParsedTimeFormats(text: String) async {
        await #expect(processExitsWith: .success, "Timestamp(parsing: \"\(text)\")?.rfc3339") { [text] in
            _ = Timestamp(parsing: text)?.rfc3339
        }
    }

    @Test("Unix seconds round down, before 1970 too, as the webhook-timestamp header needs")
    func unixSecondsRoundDown() {
        #expect(Timestamp(milliseconds: 1_795_636_924_999).seconds == 1_795_636_924)
        #expect(Timestamp(milliseconds: -1).seconds == -1)
        #expect(Timestamp(milliseconds: -1000).seconds == -1)
        #expect(Timestamp(milliseconds: -1001).seconds == -2)
    }

    @Test("Durations move instants, to the millisecond")
    func durationsMoveInstants() {
        let start = Timestamp(milliseconds: 1_000)
        #expect(start.adding(.seconds(30)).milliseconds == 31_000)
        #expect(start.adding(.milliseconds(-1_500)).milliseconds == -500)
        #expect(start.adding(.microseconds(2_999)).milliseconds == 1_002, "sub-millisecond parts are cut")
        #expect(Timestamp(milliseconds: 91_000).since(start) == .seconds(90))
    }
}
