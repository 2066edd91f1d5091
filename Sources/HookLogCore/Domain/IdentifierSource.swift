/// Where new identifiers and secrets come from.
///
/// The core draws no randomness of its own: the service passes a source backed by the system's generator,
/// and the simulator a seeded one, so that the same seed writes the same log.
///
/// Ids are ordered by when they were drawn (``IdentifierLayout``): one source's ids sort in the order it drew them,
/// so the indexes that list records by event and delivery id take each new id next to the last one.
public struct IdentifierSource<Generator: RandomNumberGenerator> {
    private var generator: Generator
    /// The millisecond of the last id drawn; never goes back, even when the clock does.
    private var lastMillisecond: UInt64 = 0
    /// How many ids were drawn in `lastMillisecond` before the last one.
    private var counter: UInt64 = 0

    /// Draws identifiers from `generator`.
    public init(_ generator: Generator) {
        self.generator = generator
    }

    /// A new identifier drawn at `now`: the kind's prefix and 20 characters of Crockford base32 holding 100 bits,
    /// laid out as ``IdentifierLayout`` says: the millisecond, a counter, then random bits (one 64-bit draw, since
    /// the system generator costs a system call per draw).
    ///
    /// An id drawn after another sorts after it, by its text and by its first 63 bits alike: past the counter's last
    /// value within a millisecond, and when the clock goes back, the source moves on from its last millisecond.
    public mutating func next<Kind>(_ kind: Kind.Type = Kind.self, at now: Timestamp) -> Identifier<Kind> {
        let millisecond = UInt64(max(now.milliseconds, 0)) & IdentifierLayout.millisecondMask
        if millisecond > lastMillisecond {
            lastMillisecond = millisecond
            counter = 0
        } else if counter < IdentifierLayout.counterMask {
            counter += 1
        } else {
            lastMillisecond += 1
            counter = 0
        }
        let random = generator.next()
        let leading = lastMillisecond << IdentifierLayout.counterBits | counter
        let bits = UInt128(leading) << IdentifierLayout.randomBits
            | UInt128(random & (1 << IdentifierLayout.randomBits - 1))
        return Identifier(generated: bits)
    }

    /// A new webhook signing secret: `whsec_` and the base64 of 24 random bytes.
    public mutating func nextSecret() -> String {
        let bytes = (0..<3).flatMap { _ in withUnsafeBytes(of: generator.next(), Array.init) }
        return "whsec_" + Base64.encode(bytes)
    }
}

extension IdentifierSource: Sendable where Generator: Sendable {}
