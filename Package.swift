// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "dlboard",
    products: [
        .executable(name: "dlboard", targets: ["dlboard"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
    ],
    targets: [
        // C system libraries: module map + shim header only (see docs in README "Building").
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // No pkgConfig for ncursesw: its .pc adds flags SwiftPM prohibits and nothing we need.
        .systemLibrary(name: "CNcursesw", providers: [.apt(["libncurses-dev"])]),

        // The engine: matrices over OpenBLAS, layers, optimizers, data, trainer. Knows no terminal.
        // Element-wise kernels in C, compiled per instruction set (AVX-512 / AVX2 / baseline) and
        // picked at load time: Swift builds for baseline x86-64 (SSE), one width for everything.
        .target(name: "CKernels"),
        .target(name: "NN", dependencies: ["CBLAS", "CZlib", "CKernels"]),
        // Terminal widgets rendering into an in-memory buffer. Knows no network.
        .target(name: "TUI", dependencies: ["CNcursesw"]),
        // The executable: CLI, sessions, views.
        .executableTarget(
            name: "dlboard",
            dependencies: [
                "NN", "TUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        .testTarget(name: "DLBoardTests", dependencies: ["dlboard", "NN"], exclude: ["Snapshots", "Fixtures"]),
    ]
        // `scripts/tsan.sh` runs the app's suites only (it says why) and sets this for its own build
        // folder, so that NN's and TUI's suites are not compiled under ThreadSanitizer for nothing.
        + (Context.environment["DLBOARD_APP_SUITES_ONLY"] != nil
            ? []
            : [
                .testTarget(name: "NNTests", dependencies: ["NN", "CZlib"]),
                .testTarget(name: "TUITests", dependencies: ["TUI"]),
            ])
)
