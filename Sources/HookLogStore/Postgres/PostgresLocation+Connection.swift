import NIOSSL
public import PostgresNIO

extension PostgresLocation {
    /// postgres-nio's settings for a connection to this location, signing in with `password`, with TLS as ``tls``
    /// says; a root certificate file that cannot be used is an error that names it.
    public func connectionConfiguration(password: String?) throws(PostgresLocationError) -> PostgresConnection.Configuration {
        PostgresConnection.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: try tlsConfiguration())
    }

    private func tlsConfiguration() throws(PostgresLocationError) -> PostgresConnection.Configuration.TLS {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch tls {
        case .disable: return .disable
        case .prefer, .require: configuration.certificateVerification = .none
        case .verifyCA: configuration.certificateVerification = .noHostnameVerification
        case .verifyFull: configuration.certificateVerification = .fullVerification
        }
        if let rootCertificates { configuration.trustRoots = .file(rootCertificates) }
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw PostgresLocationError("sslrootcert=\(rootCertificates ?? "") cannot be used: \(error)")
        }
        return tls == .prefer ? .prefer(context) : .require(context)
    }
}
