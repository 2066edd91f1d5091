/// A test send asked for a slot of an engine that is stopping or has stopped: it starts no more jobs.
public struct DeliveryStopped: Error, CustomStringConvertible {
    public var description: String { "the delivery engine is stopping or has stopped and starts no more sends" }
}
