extension Timestamp: InstantProtocol {
    public func advanced(by duration: Duration) -> Timestamp {
        adding(duration)
    }

    public func duration(to other: Timestamp) -> Duration {
        other.since(self)
    }
}
