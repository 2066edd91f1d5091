public import NIOSSL

/// A throwaway self-signed certificate for the names `hooks.example` and `localhost` (not for any address; valid until
/// 2126) and its key, for HTTPS on loopback: a ``TestReceiver`` started with `usesTLS` presents it, and
/// ``clientConfiguration`` trusts it alone.
public enum TestCertificate {
    /// The name the tests reach the receiver by, through a resolver of their own; the certificate is also valid for
    /// `localhost`, which a `hooklog serve` in another process resolves to the receiver by itself.
    public static let host = "hooks.example"

    /// The certificate, in PEM: what a client given a CA file, such as `hooklog serve --extra-ca-certificates`, trusts.
    public static let certificatePEM = """
        -----BEGIN CERTIFICATE-----
        MIIBrTCCAVKgAwIBAgIUODaGWueALxd87P10PhkbxADxbVwwCgYIKoZIzj0EAwIw
        GDEWMBQGA1UEAwwNaG9va3MuZXhhbXBsZTAgFw0yNjEyMDQxNTQyNDdaGA8yMTI2
        MTExMDE1NDI0N1owGDEWMBQGA1UEAwwNaG9va3MuZXhhbXBsZTBZMBMGByqGSM49
        AgEGCCqGSM49AwEHA0IABJJSYYHa5Z7zFtKCxPM4nZmXgaJi/+Vm0gPZ1tiUCd5d
        +TsNCk6/AyGlcmQgfzPc8XuXiKhfP7ZKF3v4GYw+Qw+jeDB2MB0GA1UdDgQWBBRI
        kyzNkS7s/UiQunObwm9a46+yyDAfBgNVHSMEGDAWgBRIkyzNkS7s/UiQunObwm9a
        46+yyDAjBgNVHREEHDAagg1ob29rcy5leGFtcGxlgglsb2NhbGhvc3QwDwYDVR0T
        AQH/BAUwAwEB/zAKBggqhkjOPQQDAgNJADBGAiEAlDmnhtwYZU4aoGETylkTlp4Z
        axwXK5UGnRsQhsAMvH8CIQDTpJsIHxx3s040gvYW3oG2Onog27fRPpOQmR7jXoxh
        UQ==
        -----END CERTIFICATE-----
        """

    static let privateKeyPEM = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgGW+cB4jk6KL1bOkU
        a0NsoXO+5lowPEpspQY0yIzhoiahRANCAASSUmGB2uWe8xbSgsTzOJ2Zl4GiYv/l
        ZtID2dbYlAneXfk7DQpOvwMhpXJkIH8z3PF7l4ioXz+2Shd7+BmMPkMP
        -----END PRIVATE KEY-----
        """

    /// A client configuration that trusts this certificate and nothing else, verifying host names as usual.
    public static func clientConfiguration() throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates([try certificate()])
        return configuration
    }

    /// The server side: this certificate and its key.
    public static func serverContext() throws -> NIOSSLContext {
        let key = try NIOSSLPrivateKey(bytes: Array(privateKeyPEM.utf8), format: .pem)
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try certificate())], privateKey: .privateKey(key))
        return try NIOSSLContext(configuration: configuration)
    }

    private static func certificate() throws -> NIOSSLCertificate {
        try NIOSSLCertificate(bytes: Array(certificatePEM.utf8), format: .pem)
    }
}
