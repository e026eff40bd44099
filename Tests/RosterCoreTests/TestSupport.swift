import Foundation
@testable import RosterDiagnostics
@testable import RosterData
@testable import RosterLanguage
@testable import RosterPortal
@testable import RosterVerbs
@testable import RosterSession

/// A fresh folder under /tmp for one test.
func temporaryFolder() -> String {
    let path = NSTemporaryDirectory() + "roster-test-" + UUID().uuidString
    // A folder that cannot be made fails the test at its first write.
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func writeFile(_ path: String, _ bytes: [UInt8]) {
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
}

func writeFile(_ path: String, _ text: String) { writeFile(path, Array(text.utf8)) }

func readFile(_ path: String) -> [UInt8]? {
    FileManager.default.contents(atPath: path).map { Array($0) }
}

func readText(_ path: String) -> String? { readFile(path).map { String(decoding: $0, as: UTF8.self) } }

struct RunResult {
    var stdout: String
    var stderr: String
    var status: Int32
}

/// Runs a script in `folder` (its relative paths resolve there), as the command does.
@discardableResult
func runScript(_ text: String, in folder: String, params: [String: String] = [:], quiet: Bool = true, name: String = "test.roster") -> RunResult {
    let sink = BufferSink()
    var runner = ScriptRunner()
    runner.params = params
    runner.quiet = quiet
    let status = runner.run(SourceFile(name: name, text: text), baseDirectory: folder, output: sink)
    return RunResult(stdout: sink.stdout, stderr: sink.stderr, status: status)
}

/// Reads CSV text into a table (test shorthand).
func table(_ csv: String) throws(Diagnostic) -> Table {
    try CSVReader.read(bytes: Array(csv.utf8), path: "t.csv").table
}

/// The project's folder (tests read their fixtures under Tests/ and the recipes under Scripts/).
let projectRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// The built `roster` executable (`swift build`, which the test script runs first, puts it here).
let rosterBinary = projectRoot + "/.build/debug/roster"

/// Runs the built binary in `folder` with `arguments` and `stdin`, without colour, and returns what
/// it printed and its exit status. Both streams are read at once so neither can fill and block.
func runBinary(
    _ arguments: [String], stdin: String? = nil, in folder: String? = nil, env: [String: String] = [:], executable: String = rosterBinary
) throws -> RunResult {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    if let folder { p.currentDirectoryURL = URL(fileURLWithPath: folder) }
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    for (k, v) in env { environment[k] = v }
    p.environment = environment
    let out = Pipe(), err = Pipe(), input = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = input
    try p.run()
    let errorText = ErrorCollector()
    let reader = Thread { errorText.data = err.fileHandleForReading.readDataToEndOfFile() }
    reader.start()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    while !errorText.done { usleep(1000) }
    return RunResult(stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: errorText.data, as: UTF8.self), status: p.terminationStatus)
}

/// Standard error, read on another thread.
final class ErrorCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Data?
    var data: Data {
        get { lock.withLock { stored ?? Data() } }
        set { lock.withLock { stored = newValue } }
    }
    var done: Bool { lock.withLock { stored != nil } }
}

/// A small seeded random generator (a linear congruential one): property tests draw the same
/// cases on every run and every machine.
struct Rng {
    var state: UInt64
    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 33
    }
    mutating func pick<T>(_ xs: [T]) -> T { xs[Int(next() % UInt64(xs.count))] }
}
