/// Why a command (`hooklog serve`, `hooklog migrate`) will not start, printed as one line on standard error (without
/// the usage that a `ValidationError` brings), with a non-zero exit status.
struct StartupError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
