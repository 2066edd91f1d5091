// swift-tools-version: 6.1
import PackageDescription

/// HookLog's benchmarks, a package of their own so that `Tools/test` does not build them; `Benchmarks/run` does.
let package = Package(
    name: "HookLogBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "HookLog", path: ".."),
    ],
    targets: [
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
