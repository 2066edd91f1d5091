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

    /// A new identifier: the kind's prefix and 20 characters of Crockford base32 (100 random bits, drawn as two
    /// 64-bit numbers, since the system generator costs a system call per draw).
    public mutating func next<Kind>(_ kind: Kind.Type = Kind.self) -> Identifier<Kind> {
        let alphabet = PackedIdentifier.alphabet
        var text = Array(Kind.prefix.utf8)
        var bits = generator.next()
        var available = 64
        for _ in 0..<PackedIdentifier.characters {
            if available < 5 {
                bits = generator.next()
                available = 64
            }
            text.append(alphabet[Int(bits & 31)])
            bits >>= 5
            available -= 5
        }
        return Identifier(String(decoding: text, as: UTF8.self))
    }

    /// A new webhook signing secret: `whsec_` and the base64 of 24 random bytes.
    public mutating func nextSecret() -> String {
        let bytes = (0..<3).flatMap { _ in withUnsafeBytes(of: generator.next(), Array.init) }
        return "whsec_" + Base64.encode(bytes)
    }
}

extension IdentifierSource: Sendable where Generator: Sendable {}
