import HookLogCore

/// A token bucket: it holds up to ``capacity`` tokens, gains ``rate`` a second, and each event sent takes one.
///
/// A request that costs more than the bucket holds is admitted by a full bucket, which it leaves in debt: so a request
/// of any size up to the largest the API takes is refused only for a while, never for its size.
struct TokenBucket: Sendable {
    /// Tokens gained per second.
    let rate: Int
    /// The most tokens it holds.
    let capacity: Int
    /// The tokens it held at `updatedAt`; below zero while in debt.
    private var held: Double
    private var updatedAt: Timestamp

    /// A full bucket at `now`.
    init(rate: Int, capacity: Int, now: Timestamp) {
        self.rate = rate
        self.capacity = capacity
        held = Double(capacity)
        updatedAt = now
    }

    /// The tokens it holds at `now`, gained since it was last used included.
    func tokens(at now: Timestamp) -> Double {
        let elapsed = Double(max(now.milliseconds - updatedAt.milliseconds, 0)) / 1000
        return min(Double(capacity), held + elapsed * Double(rate))
    }

    /// Whether it holds all it can at `now`: such a bucket is the same as a new one.
    func isFull(at now: Timestamp) -> Bool {
        tokens(at: now) >= Double(capacity)
    }

    /// Takes `cost` tokens at `now` when it holds them, or when it is full and `cost` is more than it can hold, and
    /// returns nil; otherwise takes nothing and returns how long until it could.
    mutating func take(_ cost: Int, at now: Timestamp) -> Duration? {
        let available = tokens(at: now)
        let needed = Double(min(cost, capacity))
        guard available >= needed else {
            return .milliseconds(Int64(((needed - available) * 1000 / Double(rate)).rounded(.up)))
        }
        held = available - Double(cost)
        updatedAt = max(updatedAt, now)
        return nil
    }
}
