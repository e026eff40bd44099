// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "roster",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "roster", targets: ["roster"]),
        .library(name: "RosterCore", targets: ["RosterCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // libedit, for the interactive REPL's line editing (apt: libedit-dev).
        .systemLibrary(
            name: "CEditLine",
            path: "Sources/CEditLine",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        // Everything a test can reach without a terminal: CSV engine, tables, language, verbs.
        .target(
            name: "RosterCore",
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]
        ),
        // The REPL: completion, meta-commands, input handling and rendering (all testable without a
        // terminal), and the thin layer over libedit.
        .target(
            name: "RosterREPL",
            dependencies: ["RosterCore", "CEditLine"]
        ),
        .executableTarget(
            name: "roster",
            dependencies: [
                "RosterCore",
                "RosterREPL",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "RosterCoreTests",
            dependencies: ["RosterCore"]
        ),
        .testTarget(
            name: "RosterREPLTests",
            dependencies: ["RosterREPL", "RosterCore"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
