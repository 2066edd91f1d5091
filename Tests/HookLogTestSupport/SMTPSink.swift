import Foundation

/// A real SMTP server for tests: `Tools/smtp-sink.py` (aiosmtpd) on a free loopback port, run as a subprocess,
/// keeping what it receives in a temporary directory. It needs the Python package aiosmtpd, which `Tools/test`
/// installs.
public final class SMTPSink: Sendable {
    /// How the server behaves.
    public struct Options: Sendable {
        /// Whether the server offers STARTTLS, with a throwaway self-signed certificate for `localhost` and
        /// `127.0.0.1` (made with openssl).
        public enum StartTLS: String, Sendable {
            /// No STARTTLS.
            case off
            /// STARTTLS offered; clear text works too.
            case optional
            /// STARTTLS offered, and needed before MAIL FROM.
            case required
        }

        /// Answer every RCPT TO with 550.
        public var rejectRecipients = false
        /// Answer EHLO with 502, as a server from before ESMTP would; HELO works.
        public var refuseEHLO = false
        /// Offer STARTTLS, and whether to require it.
        public var startTLS = StartTLS.off
        /// Offer AUTH and accept only these credentials (only after STARTTLS when ``startTLS`` is on); the user
        /// name cannot hold a colon.
        public var credentials: (username: String, password: String)?
        /// Accept connections but never answer.
        public var silent = false

        /// The options; by default a server that accepts every message in clear text.
        public init(
            rejectRecipients: Bool = false, refuseEHLO: Bool = false, startTLS: StartTLS = .off,
            credentials: (username: String, password: String)? = nil, silent: Bool = false
        ) {
            self.rejectRecipients = rejectRecipients
            self.refuseEHLO = refuseEHLO
            self.startTLS = startTLS
            self.credentials = credentials
            self.silent = silent
        }
    }

    /// The sink did not start or did not receive what was expected.
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong, with the sink's own output when it did not start.
        public let description: String
    }

    /// The port the server listens on, at 127.0.0.1.
    public let port: Int
    private let process: Process
    private let directory: URL
    private var maildir: URL { directory.appending(path: "mail") }

    /// Starts a server and returns once it listens: on a free port, or on `port`'s, which it takes over still bound
    /// (``RefusingPort/handOver()``), so that no other socket can take the port between the two.
    public init(_ options: Options = Options(), on port: RefusingPort? = nil) async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        directory = FileManager.default.temporaryDirectory.appending(path: "hooklog-smtp-sink-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: directory.appending(path: "mail"), withIntermediateDirectories: true)
        let log = directory.appending(path: "sink.log")
        try Data().write(to: log)

        var arguments = [
            "python3", root.appending(path: "Tools/smtp-sink.py").path,
            "--maildir", directory.appending(path: "mail").path, "--starttls", options.startTLS.rawValue,
        ]
        if options.rejectRecipients { arguments.append("--reject-rcpt") }
        if options.refuseEHLO { arguments.append("--no-ehlo") }
        if let credentials = options.credentials { arguments += ["--auth", "\(credentials.username):\(credentials.password)"] }
        if options.silent { arguments.append("--silent") }

        let output = Pipe()
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: log)
        let inherited = port?.handOver().map { FileHandle(fileDescriptor: $0, closeOnDealloc: true) }
        if let inherited {
            // The bound socket is the sink's standard input, which it listens on.
            process.standardInput = inherited
            arguments.append("--listen-on-stdin")
            process.arguments = arguments
        }
        try process.run()
        try inherited?.close()

        let firstLine = await Self.readLine(from: output.fileHandleForReading)
        guard let portText = firstLine?.split(separator: " ").last, firstLine?.hasPrefix("LISTENING ") == true,
              let port = Int(portText)
        else {
            process.waitUntilExit()
            let message = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            try? FileManager.default.removeItem(at: directory)
            throw Failure(description: "Tools/smtp-sink.py did not start: \(message.isEmpty ? "no output" : message)")
        }
        self.port = port
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// The messages received so far, in order of arrival.
    public func messages() throws -> [ReceivedMail] {
        let envelopes = try FileManager.default.contentsOfDirectory(atPath: maildir.path)
            .filter { $0.hasSuffix(".json") }
            .compactMap { Int($0.dropLast(".json".count)) }
            .sorted()
        return try envelopes.map { number in
            var mail = try JSONDecoder().decode(
                ReceivedMail.self, from: Data(contentsOf: maildir.appending(path: "\(number).json")))
            mail.raw = try String(contentsOf: maildir.appending(path: "\(number).eml"), encoding: .utf8)
            return mail
        }
    }

    /// Waits, in real time, until at least `count` messages have arrived, and returns them all.
    @discardableResult
    public func waitForMessages(count: Int, timeout: Duration = .seconds(60)) async throws -> [ReceivedMail] {
        try await eventually("\(count) messages at the SMTP sink", timeout: timeout) { try messages().count >= count }
        return try messages()
    }

    /// Stops the server (SIGTERM, then SIGKILL if it is still running 5 s later) and waits for it to exit; the
    /// received messages stay readable.
    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = ContinuousClock.now.advanced(by: .seconds(5))
        while process.isRunning && ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.01) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// The first line `handle` yields, read on a thread of its own; nil if it ends first.
    private static func readLine(from handle: FileHandle) async -> String? {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var bytes = Data()
                while !bytes.contains(UInt8(ascii: "\n")) {
                    let chunk = handle.availableData
                    guard !chunk.isEmpty else { break }
                    bytes += chunk
                }
                let line = String(decoding: bytes, as: UTF8.self).split(separator: "\n").first.map(String.init)
                continuation.resume(returning: bytes.contains(UInt8(ascii: "\n")) ? line : nil)
            }
        }
    }
}
