import HookLogCore

/// How a simulated receiver answers: mostly 2xx, failing at the configured rate, and, for the flaky ones, down
/// for five minutes of every hour (long enough to exhaust a delivery's retries and to spend a workspace's budget).
struct SimulatedEndpoint {
    /// Whether this endpoint has hourly outages.
    let flaky: Bool
    /// Where in the hour its outage falls, in minutes.
    let outageOffsetMinutes: Int64
    let failureRate: Double

    /// The answer to an attempt started at `startedAt`: the outcome and how long it took.
    func answer(at startedAt: Timestamp, using random: inout SeededGenerator) -> (AttemptReport.Outcome, Int) {
        let minuteOfHour = (startedAt.milliseconds / 60_000 - outageOffsetMinutes).floorModulo(60)
        let down = flaky && minuteOfHour < 5
        guard down || Double.random(in: 0..<1, using: &random) < failureRate else {
            return (.status([200, 200, 200, 202, 204].randomElement(using: &random)!), Int.random(in: 15...250, using: &random))
        }
        switch Int.random(in: 0..<10, using: &random) {
        case 0..<4: return (.status(500), Int.random(in: 5...80, using: &random))
        case 4..<6: return (.status([404, 410, 429, 503].randomElement(using: &random)!), Int.random(in: 5...80, using: &random))
        case 6..<8: return (.error(.timeout), 5000)
        case 8: return (.error(.connection), Int.random(in: 1...5, using: &random))
        default: return (.status(301), Int.random(in: 5...40, using: &random))
        }
    }
}

extension Int64 {
    func floorModulo(_ divisor: Int64) -> Int64 {
        let remainder = self % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }
}
