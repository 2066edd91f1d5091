import NIOSSL
public import PostgresNIO

extension PostgresLocation {
    /// postgres-nio's settings for a pool of connections to this location, signing in with `password`, with TLS as
    /// ``tls`` says; a root certificate file that cannot be used is an error that names it.
    public func clientConfiguration(password: String?) throws(PostgresLocationError) -> PostgresClient.Configuration {
        PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: try clientTLS())
    }

    /// postgres-nio's settings for one connection to this location, as ``clientConfiguration(password:)``'s.
    public func connectionConfiguration(password: String?) throws(PostgresLocationError) -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        switch try tlsConfiguration() {
        case .disable: tls = .disable
        case .prefer(let configuration): tls = .prefer(try context(configuration))
        case .require(let configuration): tls = .require(try context(configuration))
        }
        return PostgresConnection.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: tls)
    }

    private enum TLSSettings {
        case disable
        case prefer(TLSConfiguration)
        case require(TLSConfiguration)
    }

    private func clientTLS() throws(PostgresLocationError) -> PostgresClient.Configuration.TLS {
        switch try tlsConfiguration() {
        case .disable: .disable
        case .prefer(let configuration): .prefer(configuration)
        case .require(let configuration): .require(configuration)
        }
    }

    private func tlsConfiguration() throws(PostgresLocationError) -> TLSSettings {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch tls {
        case .disable: return .disable
        case .prefer, .require: configuration.certificateVerification = .none
        case .verifyCA: configuration.certificateVerification = .noHostnameVerification
        case .verifyFull: configuration.certificateVerification = .fullVerification
        }
        if let rootCertificates { configuration.trustRoots = .file(rootCertificates) }
        // Made once here so that a root file that cannot be used is told now, not at each connection.
        _ = try context(configuration)
        return tls == .prefer ? .prefer(configuration) : .require(configuration)
    }

    private func context(_ configuration: TLSConfiguration) throws(PostgresLocationError) -> NIOSSLContext {
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw PostgresLocationError("sslrootcert=\(rootCertificates ?? "") cannot be used: \(error)")
        }
    }
}
