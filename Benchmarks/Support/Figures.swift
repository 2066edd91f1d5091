import Benchmark
import CLMDB
import Foundation

/// What the suites share: where their figures go, their scratch folders and LMDB's return codes.
public enum Figures {
    /// The suites' metric: records per second, timed by the suite around the work alone.
    public static let recordsPerSecondMetric = BenchmarkMetric.custom(
        "records/s", polarity: .prefersLarger, useScalingFactor: false)

    /// Notes one iteration's records/s both to package-benchmark and for the report.
    public static func recordsPerSecond(_ benchmark: Benchmark, _ value: Int) {
        benchmark.measurement(recordsPerSecondMetric, value)
        record(benchmark.baseName, Double(value), unit: "records/s")
    }

    /// Notes one iteration's figure for `Benchmarks/report.py` as a JSON line in the folder `HOOKLOG_BENCH_FIGURES`
    /// names (nothing when unset), beside package-benchmark's own statistics. The report takes each name's median.
    ///
    /// package-benchmark's exports cannot carry these figures: its JMH export drops every benchmark whose iteration
    /// takes over a second (its throughput rounds to 0), and each of ours does.
    public static func record(_ name: String, _ value: Double, unit: String) {
        guard let folder = ProcessInfo.processInfo.environment["HOOKLOG_BENCH_FIGURES"] else { return }
        let line = try! JSONSerialization.data(withJSONObject: ["name": name, "value": value, "unit": unit]) + Data("\n".utf8)
        let path = folder + "/measured.jsonl"
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        guard let file = FileHandle(forWritingAtPath: path) else { fatalError("cannot write \(path)") }
        defer { try? file.close() }
        file.seekToEndOfFile()
        file.write(line)
    }
}

/// A new folder under the temporary directory, for one run's store or environment.
public func temporaryDirectory(_ name: String) -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("hooklog-bench-\(name)-\(UUID().uuidString)").path
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A non-zero return code of LMDB's C API, with `mdb_strerror`'s text.
public struct LMDBFailure: Error, CustomStringConvertible {
    public var description: String

    /// Throws unless `status` is 0 (`MDB_SUCCESS`).
    public static func check(_ status: Int32) throws {
        guard status == 0 else { throw LMDBFailure(description: String(cString: mdb_strerror(status))) }
    }
}
