import Foundation

/// One figure for `Benchmarks/report.py`, as one JSON line of a `figure-*.json` file in the results folder: its value
/// beside the baseline measured in the same run, and the target it is judged by.
struct Figure: Encodable {
    var suite = "delivery"
    let name: String
    let value: Double
    let unit: String
    var baseline: String? = nil
    var baselineValue: Double? = nil
    var target: String? = nil
    /// The bounds the target sets, on the value or on its ratio to the baseline.
    var maximum: Double? = nil
    var minimumRatio: Double? = nil
    var maximumRatio: Double? = nil
    var note: String? = nil

    enum CodingKeys: String, CodingKey {
        case suite, name, value, unit, baseline, baselineValue = "baseline_value", target, maximum
        case minimumRatio = "minimum_ratio", maximumRatio = "maximum_ratio", note
    }

    /// Writes `figures` to `path`, one JSON line each.
    static func write(_ figures: [Figure], to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let lines = try figures.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }
}
