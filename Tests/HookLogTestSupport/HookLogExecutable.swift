public import Foundation

/// The `hooklog` executable SwiftPM built beside the running test bundle, for tests that run it as a user would.
public enum HookLogExecutable {
    /// Its location: the first `hooklog` found going up from the test bundle.
    public static let url: URL = {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("hooklog")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        fatalError("no hooklog executable beside \(CommandLine.arguments[0]); run swift build first")
    }()
}
