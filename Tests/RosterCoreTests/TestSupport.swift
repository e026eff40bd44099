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
