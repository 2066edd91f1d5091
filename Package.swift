// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "HookLog",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "hooklog", targets: ["hooklog"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLMDB",
            pkgConfig: "lmdb",
            providers: [.apt(["liblmdb-dev"])]
        ),
        .target(
            name: "HookLogCore",
            dependencies: [
                .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        .target(
            name: "HookLogStore",
            dependencies: [
                "CLMDB",
                "HookLogCore",
                .product(name: "HeapModule", package: "swift-collections"),
            ]
        ),
        .executableTarget(
            name: "hooklog",
            dependencies: [
                "HookLogCore",
                "HookLogStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "HookLogCoreTests", dependencies: ["HookLogCore"]),
        .testTarget(name: "HookLogStoreTests", dependencies: ["HookLogStore", "HookLogCore"]),
        .testTarget(name: "HookLogCLITests", dependencies: ["hooklog", "HookLogStore", "HookLogCore"]),
    ],
    swiftLanguageModes: [.v6]
)
