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
/// header on every allocation, which would inflate the resident-memory figure it measures. `DeliveryOverHTTP` drives a
/// release `hooklog serve` over HTTP against an in-process loopback receiver, the way a platform would use it.
let package = Package(
    name: "HookLogBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "HookLog", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.1.0"),
    ],
    targets: [
        suite("LogAppend"),
        suite("LogRebuild"),
        suite("LogSearch"),
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
            name: "DeliveryOverHTTP",
            dependencies: [
                .product(name: "HookLogCore", package: "HookLog"),
                .product(name: "HookLogDelivery", package: "HookLog"),
                .product(name: "HookLogStore", package: "HookLog"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HookLogTestSupport", package: "HookLog"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            path: "DeliveryOverHTTP"
        ),
    ],
    swiftLanguageModes: [.v6]
)
