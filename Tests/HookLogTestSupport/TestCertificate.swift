public import NIOSSL

/// A throwaway self-signed certificate for `hooks.example` (valid until 2126) and its key, for HTTPS tests on
/// loopback: a ``TestReceiver`` started with `usesTLS` presents it, and ``clientConfiguration`` trusts it alone.
public enum TestCertificate {
    /// The only name the certificate is valid for.
    public static let host = "hooks.example"

    static let certificatePEM = """
        -----BEGIN CERTIFICATE-----
        MIIBoTCCAUegAwIBAgIUM72/bANHab7kicR/c4ZyXiwxg1owCgYIKoZIzj0EAwIw
        GDEWMBQGA1UEAwwNaG9va3MuZXhhbXBsZTAgFw0yNjEyMDIxMjQwNTNaGA8yMTI2
        MTEwODEyNDA1M1owGDEWMBQGA1UEAwwNaG9va3MuZXhhbXBsZTBZMBMGByqGSM49
        AgEGCCqGSM49AwEHA0IABJ5txPk5Ts43dwWZIq42elLgFuX/Pk+IBnh92Nu2/aLj
        QjfMV8m9lnzJqRepDT8JL489TJ5ijtn2jfSHNwBsxrWjbTBrMB0GA1UdDgQWBBST
        a6GXr8htIb2B3RUrWFZ5A+KZnjAfBgNVHSMEGDAWgBSTa6GXr8htIb2B3RUrWFZ5
        A+KZnjAPBgNVHRMBAf8EBTADAQH/MBgGA1UdEQQRMA+CDWhvb2tzLmV4YW1wbGUw
        CgYIKoZIzj0EAwIDSAAwRQIgUU0wfl9AIhO7decdEKCiIpSgZvslOxgkTn1Cry9g
        GZwCIQCkTvXv0xYLpXbidd04tJEz1DkndjSNX5l9ebqT7CrOEA==
        -----END CERTIFICATE-----
        """

    static let privateKeyPEM = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgLh1LZTsmg5OWbQx2
        ch8ZTDMx+auCF7FGo4hgnac7ymKhRANCAASebcT5OU7ON3cFmSKuNnpS4Bbl/z5P
        iAZ4fdjbtv2i40I3zFfJvZZ8yakXqQ0/CS+PPUyeYo7Z9o30hzcAbMa1
        -----END PRIVATE KEY-----
        """

    /// A client configuration that trusts this certificate and nothing else, verifying host names as usual.
    public static func clientConfiguration() throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates([try certificate()])
        return configuration
    }

    /// The server side: this certificate and its key.
    static func serverContext() throws -> NIOSSLContext {
        let key = try NIOSSLPrivateKey(bytes: Array(privateKeyPEM.utf8), format: .pem)
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try certificate())], privateKey: .privateKey(key))
        return try NIOSSLContext(configuration: configuration)
    }

    private static func certificate() throws -> NIOSSLCertificate {
        try NIOSSLCertificate(bytes: Array(certificatePEM.utf8), format: .pem)
    }
}
