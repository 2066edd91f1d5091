public import NIOSSL

/// What the certificate of an https endpoint may chain to: the system's trust store and, when an operator gives them
/// (`hooklog serve --extra-ca-certificates`), the certificates of CAs of their own, such as a company's private CA.
/// Host names are verified either way.
public struct EndpointTrust: Sendable {
    /// Why certificates given as extra trust cannot be used.
    public struct Refusal: Error, CustomStringConvertible {
        public let description: String
    }

    /// The system's trust store alone.
    public static let system = EndpointTrust(extraCertificates: [])

    /// The certificates trusted beside the system's.
    public let extraCertificates: [NIOSSLCertificate]

    private init(extraCertificates: [NIOSSLCertificate]) {
        self.extraCertificates = extraCertificates
    }

    /// The system's trust store and every certificate of `pem`, a PEM text of one or more certificates. Throws a
    /// ``Refusal`` if the text holds no certificate or one that does not parse.
    public init(extraCertificatesPEM pem: [UInt8]) throws(Refusal) {
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMBytes(pem)
        } catch {
            throw Refusal(description: "it is not a PEM file of certificates (\(error))")
        }
        guard !certificates.isEmpty else {
            throw Refusal(description: "it holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
        }
        self.init(extraCertificates: certificates)
    }

    /// The client configuration of https attempts: SwiftNIO SSL's client defaults (full verification of the chain and
    /// the host name) with these roots.
    public var tlsConfiguration: TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if !extraCertificates.isEmpty {
            configuration.additionalTrustRoots = [.certificates(extraCertificates)]
        }
        return configuration
    }
}
