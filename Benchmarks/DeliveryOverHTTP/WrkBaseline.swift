import Foundation

/// The HTTP limit of the machine: `wrk` POSTing a webhook-sized request (`Benchmarks/wrk/webhook-post.lua`) to the
/// same answering endpoint, with as many connections as the server may have deliveries in flight.
struct WrkBaseline {
    /// wrk's report could not be read.
    struct Unreadable: Error, CustomStringConvertible {
        let description: String
    }

    let script: String
    let connections: Int
    let seconds: Int

    /// The `wrk` executable on `PATH`, if any.
    static var executable: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/wrk" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs `wrk` against `url`, writes its report to `reportPath` and returns its requests per second; a report
    /// with any answer other than 2xx is an error.
    func requestsPerSecond(wrk: String, url: String, reportPath: String) throws -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: wrk)
        process.arguments = ["-t2", "-c\(connections)", "-d\(seconds)s", "-s", script, url]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let report = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try report.write(toFile: reportPath, atomically: true, encoding: .utf8)
        guard process.terminationStatus == 0, !report.contains("Non-2xx"),
            let line = report.split(separator: "\n").first(where: { $0.hasPrefix("Requests/sec:") }),
            let value = line.split(separator: " ").last.flatMap({ Double($0) })
        else {
            throw Unreadable(description: "wrk exited with status \(process.terminationStatus), saw non-2xx answers or printed no rate; see \(reportPath)")
        }
        return value
    }
}
