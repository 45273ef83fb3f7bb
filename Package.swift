// swift-tools-version: 6.2
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]
/// The executables link with the toolchain's lld: a release build links the Swift runtime and Foundation into the
/// binary (`--static-swift-stdlib`, see the Makefile), and gold then warns about a glibc call inside Foundation.
let linkWithLLD: [LinkerSetting] = [.unsafeFlags(["-use-ld=lld"])]

let package = Package(
    name: "kube9",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "kube9", targets: ["kube9"]),
        .executable(name: "kube9-sim", targets: ["kube9-sim"]),
        .library(name: "Kube9Kit", targets: ["Kube9Kit"]),
        .library(name: "KubeSim", targets: ["KubeSim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
    ],
    targets: [
        // System libraries: ncursesw for the screen, zlib for SPDY header blocks.
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses", providers: [.apt(["libncursesw5-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        // Child processes with the parent-death signal set before exec (vfork), pipe2 and pidfd_open: what Swift's
        // Glibc module and posix_spawn do not give.
        .target(name: "CSpawn", path: "Sources/CSpawn"),

        // The manager library: drives kubectl, knows nothing of screens.
        .target(
            name: "Kube9Kit",
            dependencies: [
                "CSpawn",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict),

        // The terminal UI: cell grid, views, update function, ncurses backend.
        .target(
            name: "Kube9TUI",
            dependencies: [
                "Kube9Kit", "CNcurses",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),

        // The Kubernetes API stand-in that real kubectl lists and port-forwards through.
        .target(
            name: "KubeSim",
            dependencies: [
                "CZlib",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),

        .executableTarget(
            name: "kube9-sim",
            dependencies: [
                "KubeSim",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict,
            linkerSettings: linkWithLLD),

        .executableTarget(
            name: "kube9",
            dependencies: [
                "Kube9Kit", "Kube9TUI", "KubeSim",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict,
            linkerSettings: linkWithLLD),

        // `make bench`: kube9 next to raw kubectl against kube9-sim, as ratios from one run.
        .executableTarget(
            name: "kube9-bench",
            dependencies: [
                "Kube9Kit", "Kube9TUI", "KubeSim",
            ],
            swiftSettings: strict,
            linkerSettings: linkWithLLD),

        // Shared test helpers: a sim per test, a fresh HOME, deadlines.
        .target(
            name: "Kube9TestSupport",
            dependencies: ["KubeSim", "Kube9Kit"],
            path: "Tests/Kube9TestSupport",
            swiftSettings: strict),

        .testTarget(
            name: "KubeSimTests",
            dependencies: [
                "KubeSim", "CZlib", "Kube9TestSupport",
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "Kube9KitTests",
            dependencies: [
                "Kube9Kit", "KubeSim", "Kube9TestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: strict),
        .testTarget(
            name: "Kube9TUITests",
            dependencies: [
                "Kube9TUI", "Kube9Kit",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "Kube9EndToEndTests",
            dependencies: ["Kube9TestSupport", "KubeSim", "Kube9Kit"],
            swiftSettings: strict),
    ]
)
