/// Where new identifiers and secrets come from.
///
/// The core draws no randomness of its own: the service passes a source backed by the system's generator,
/// and the simulator a seeded one, so that the same seed writes the same log.
public struct IdentifierSource<Generator: RandomNumberGenerator> {
    private var generator: Generator

    /// Draws identifiers from `generator`.
    public init(_ generator: Generator) {
        self.generator = generator
    }

    private static var alphabet: [Character] { Array("0123456789abcdefghjkmnpqrstvwxyz") }

    /// A new identifier: the kind's prefix and 20 characters of Crockford base32 (100 random bits).
    public mutating func next<Kind>(_ kind: Kind.Type = Kind.self) -> Identifier<Kind> {
        let alphabet = Self.alphabet
        var text = Kind.prefix
        for _ in 0..<20 {
            text.append(alphabet[Int(generator.next(upperBound: UInt8(32)))])
        }
        return Identifier(text)
    }

    /// A new webhook signing secret: `whsec_` and the base64 of 24 random bytes.
    public mutating func nextSecret() -> String {
        let bytes = (0..<24).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return "whsec_" + Base64.encode(bytes)
    }
}
extension IdentifierSource: Sendable where Generator: Sendable {}
