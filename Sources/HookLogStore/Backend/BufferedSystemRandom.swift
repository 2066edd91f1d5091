#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The system's random bytes, drawn 256 at a time: `SystemRandomNumberGenerator` makes a system call for every 8
/// bytes, a measurable share of the log writer's time when every event and delivery needs a new id. The bytes are
/// the same cryptographically secure ones (`getentropy`), only fetched ahead.
struct BufferedSystemRandom: RandomNumberGenerator, Sendable {
    private var words = [UInt64](repeating: 0, count: 32)
    /// The next word to hand out; past the end, the buffer is drawn again.
    private var position = 32

    /// A generator that draws its first bytes when first asked.
    init() {}

    mutating func next() -> UInt64 {
        if position == words.count { refill() }
        defer { position += 1 }
        return words[position]
    }

    private mutating func refill() {
        words.withUnsafeMutableBytes { buffer in
            // 256 bytes, the most `getentropy` hands out in one call.
            guard getentropy(buffer.baseAddress, buffer.count) == 0 else {
                fatalError("getentropy failed: \(String(cString: strerror(errno)))")
            }
        }
        position = 0
    }
}
