// swift-tools-version: 6.1
import PackageDescription

/// An in-process suite on package-benchmark, over the store and the core, in `Benchmarks/<name>`.
func suite(_ name: String) -> Target {
    .executableTarget(
        name: name,
        dependencies: [
            .product(name: "Benchmark", package: "benchmark"),
            .product(name: "HookLogCore", package: "HookLog"),
            .product(name: "HookLogStore", package: "HookLog"),
            "Support",
        ],
        path: "Benchmarks/\(name)",
        plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
}

/// HookLog's benchmarks, a package of their own so that `Tools/test` does not build them; `Benchmarks/run` does.
///
/// The in-process suites under `Benchmarks/` run on package-benchmark (`swift package benchmark`), each beside the
/// baseline it is judged against. `QueueMemory` is a plain executable: package-benchmark's malloc interposer puts a
/// header on every allocation, which would inflate the resident-memory figure it measures.
let package = Package(
    name: "HookLogBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "HookLog", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        suite("LogAppend"),
        suite("LogRebuild"),
        .target(
            name: "Support",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "HookLogStore", package: "HookLog"),
            ],
            path: "Support"
        ),
        .executableTarget(
            name: "QueueMemory",
            dependencies: [
                .product(name: "HookLogCore", package: "HookLog"),
            ],
            path: "QueueMemory"
        ),
        .executableTarget(
            name: "DeliveryThroughput",
            dependencies: [
                .product(name: "HookLogCore", package: "HookLog"),
                .product(name: "HookLogStore", package: "HookLog"),
                .product(name: "HookLogDelivery", package: "HookLog"),
                .product(name: "HookLogTestSupport", package: "HookLog"),
            ],
            path: "DeliveryThroughput"
        ),
    ],
    swiftLanguageModes: [.v6]
)
