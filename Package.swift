// swift-tools-version:6.0
import PackageDescription

#if canImport(Darwin)
import Darwin
#else
import Glibc
#endif

// The REPL edits lines with the system's libedit where it has one (Debian: libedit-dev; macOS ships
// it). Without its header, or with ROSTER_WITHOUT_LIBEDIT=1, the REPL reads plain lines instead.
let withLibedit: Bool = {
    if getenv("ROSTER_WITHOUT_LIBEDIT") != nil { return false }
    #if canImport(Darwin)
    return true
    #else
    let headers: [String] = ["/usr/include/histedit.h", "/usr/local/include/histedit.h"]
    return headers.contains { (path: String) in access(path, F_OK) == 0 }
    #endif
}()

// The library is cut into targets with one direction, so the compiler keeps it: each target imports
// only those listed before it.
//
//   RosterDiagnostics ← RosterData ← RosterLanguage ← RosterPortal ← RosterVerbs ← RosterSession
//     ← RosterREPL ← roster
//
// README.md ("Design") says what each target holds.
let package = Package(
    name: "roster",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "roster", targets: ["roster"]),
        .library(
            name: "RosterKit",
            targets: [
                "RosterDiagnostics", "RosterData", "RosterLanguage", "RosterPortal", "RosterVerbs",
                "RosterSession",
            ]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
    ],
    targets: [
        // libedit's header, for the interactive REPL's line editing (apt: libedit-dev). The library
        // itself is opened when the REPL starts, not linked (see shim.h).
        .systemLibrary(
            name: "CEditLine",
            path: "Sources/CEditLine",
            providers: [.apt(["libedit-dev"]), .brew(["libedit"])]
        ),
        // Source files, ranges, diagnostics with identity and their rendering, did-you-mean, the
        // output sink.
        .target(name: "RosterDiagnostics"),
        // Bytes to tables and back: the platform's file calls, CSV and workbook reading and writing,
        // OneRoster packages, tables and columns, regular expressions, previews.
        // zlib, for the zip container of .xlsx workbooks and OneRoster packages (apt: zlib1g-dev).
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        // Processor instructions Swift cannot spell: the prefetch hint and a 64-byte match mask.
        .target(name: "CProcessor"),
        .target(name: "RosterData", dependencies: ["RosterDiagnostics", "CZlib", "CProcessor"]),
        // Expressions: tokens, the parser's cursor and expression grammar, values, the evaluator
        // over a `Bindings` protocol, functions.
        .target(name: "RosterLanguage", dependencies: ["RosterDiagnostics", "RosterData"]),
        // Portal formats as data: definitions and their parser, detection, validation, repairs,
        // conversion and upload plans.
        .target(
            name: "RosterPortal",
            dependencies: ["RosterDiagnostics", "RosterData", "RosterLanguage"]),
        // The script grammar (statements, pipelines, options) from one registry, and one file per verb.
        .target(
            name: "RosterVerbs",
            dependencies: ["RosterDiagnostics", "RosterData", "RosterLanguage", "RosterPortal"]),
        // A run of the language: bindings, loaded files, the interpreter, reports, run settings.
        .target(
            name: "RosterSession",
            dependencies: [
                "RosterDiagnostics", "RosterData", "RosterLanguage", "RosterPortal", "RosterVerbs",
            ]),
        // The REPL: completion, meta-commands, input handling and rendering (all testable without a
        // terminal), and the thin layer over libedit.
        .target(
            name: "RosterREPL",
            dependencies: [
                "RosterDiagnostics", "RosterData", "RosterLanguage", "RosterPortal", "RosterVerbs",
                "RosterSession",
            ] + (withLibedit ? ["CEditLine"] : []),
            swiftSettings: withLibedit ? [.define("ROSTER_LIBEDIT")] : []),
        .executableTarget(
            name: "roster",
            dependencies: [
                "RosterDiagnostics", "RosterData", "RosterPortal", "RosterSession", "RosterREPL",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Fuzz targets (Scripts/fuzz.sh builds them with libFuzzer); a normal build replays saved inputs.
        .executableTarget(
            name: "roster-fuzz",
            dependencies: ["RosterDiagnostics", "RosterData", "RosterLanguage", "RosterPortal", "RosterVerbs"]
        ),
        .testTarget(
            name: "RosterCoreTests",
            dependencies: [
                "RosterDiagnostics", "RosterData", "RosterLanguage", "RosterPortal", "RosterVerbs",
                "RosterSession",
            ]
        ),
        .testTarget(
            name: "RosterREPLTests",
            dependencies: [
                "RosterDiagnostics", "RosterData", "RosterLanguage", "RosterPortal", "RosterVerbs",
                "RosterSession", "RosterREPL",
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
