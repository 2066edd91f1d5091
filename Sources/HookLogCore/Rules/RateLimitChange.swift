/// What a change of a webhook asks of its rate limit (`"rate_limit"` in a PATCH: a number, or null for none).
public enum RateLimitChange: Hashable, Sendable {
    /// At most this many deliveries a second from now on.
    case limit(Int)
    /// No limit from now on.
    case unlimited

    /// The limit after the change; nil for none.
    public var perSecond: Int? {
        switch self {
        case .limit(let limit): limit
        case .unlimited: nil
        }
    }
}
