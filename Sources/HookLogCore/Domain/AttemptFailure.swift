/// Why an attempt failed: an answer that was not a 2xx, or no usable answer at all.
public enum AttemptFailure: Hashable, Codable, Sendable, CustomStringConvertible {
    /// The endpoint answered in time with a status other than 2xx (3xx included: redirects are not followed).
    case status(Int)
    /// No usable answer; see ``AttemptError``.
    case error(AttemptError)

    /// The class the audit groups failures by: `http_4xx`, `http_5xx`, `http_3xx`, or the error's name.
    public var failureClass: String {
        switch self {
        case .status(let code): "http_\(code / 100)xx"
        case .error(let error): error.rawValue
        }
    }

    public var description: String {
        switch self {
        case .status(let code): "HTTP \(code)"
        case .error(let error): error.rawValue
        }
    }
}

/// A failed attempt that produced no HTTP status.
public enum AttemptError: String, CaseIterable, Codable, Sendable {
    /// No complete answer within the attempt timeout (connect included).
    case timeout
    /// The connection was refused, reset or closed early.
    case connection
    /// The TLS handshake failed.
    case tls
    /// The endpoint's host name did not resolve (or resolved to a refused address).
    case dns
    /// The response was larger than HookLog accepts.
    case tooLarge = "too_large"
}

extension AttemptFailure {
    /// The HTTP status, when the failure had one.
    public var statusCode: Int? { if case .status(let code) = self { code } else { nil } }
    /// The error, when the failure had no HTTP status.
    public var error: AttemptError? { if case .error(let error) = self { error } else { nil } }
}
