import Foundation
import Testing
@testable import RosterDiagnostics
@testable import RosterData
@testable import RosterLanguage
@testable import RosterPortal
@testable import RosterVerbs
@testable import RosterSession

/// Golden tests, one folder a case (Tests/Golden/<group>/<case>/ and every recipe folder under
/// Scripts/ with an `expected/` folder). A case holds its input files, and:
///
/// - `script.roster` (or a recipe's `rollover.roster`): run in-process through `ScriptRunner` and
///   by the built `roster` binary, and both must give the expected output;
/// - `params` (NAME=VALUE lines, as `--param` gives them), for both runs;
/// - `args` (one command-line argument a line) and `stdin`: the case runs only through the binary,
///   with those arguments and that standard input — for what only the command line does;
/// - `expected/`: `stdout`, `stderr`, `status` and `files/` (every file the run must write, byte
///   for byte; it must write no other).
///
/// `ROSTER_GOLDEN_UPDATE=1` rewrites the expected files from the in-process run (or the binary's,
/// for `args` cases) and fails the run that did it, so that nothing passes by writing its own
/// expectation: review the change with `git diff`, then run the tests again.
@Suite("Golden")
struct GoldenTests {
    static let root = projectRoot + "/Tests/Golden"
    static let fm = FileManager.default

    static var cases: [String] {
        var out: [String] = []
        for dir in ((try? fm.contentsOfDirectory(atPath: projectRoot + "/Scripts")) ?? []).sorted()
        where fm.fileExists(atPath: "\(projectRoot)/Scripts/\(dir)/expected") {
            out.append("Scripts/" + dir)
        }
        for group in ((try? fm.contentsOfDirectory(atPath: root)) ?? []).sorted() {
            for c in ((try? fm.contentsOfDirectory(atPath: root + "/" + group)) ?? []).sorted() {
                let folder = "\(root)/\(group)/\(c)"
                if fm.fileExists(atPath: folder + "/script.roster") || fm.fileExists(atPath: folder + "/args") {
                    out.append("Tests/Golden/" + group + "/" + c)
                }
            }
        }
        return out
    }

    static var inProcessCases: [String] { cases.filter { !fm.fileExists(atPath: projectRoot + "/" + $0 + "/args") } }

    static func files(under dir: String) -> [String] {
        guard let e = fm.enumerator(atPath: dir) else { return [] }
        var out: [String] = []
        while let f = e.nextObject() as? String {
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: dir + "/" + f, isDirectory: &isDir), !isDir.boolValue { out.append(f) }
        }
        return out.sorted()
    }

    /// One case laid out in a fresh folder.
    struct Case {
        let name: String
        let source: String
        let work: String
        let inputs: [String]
        let scriptName: String?
        let params: [(String, String)]

        init(_ name: String) throws {
            self.name = name
            source = projectRoot + "/" + name
            let scripts = (try fm.contentsOfDirectory(atPath: source)).filter { $0.hasSuffix(".roster") }.sorted()
            if !name.hasPrefix("Scripts/") {
                scriptName = scripts.contains("script.roster") ? "script.roster" : nil
            } else {
                scriptName = scripts.contains("rollover.roster") ? "rollover.roster" : scripts.first
            }
            work = temporaryFolder()
            let metadata: Set<String> = ["params", "args", "stdin"]
            inputs = GoldenTests.files(under: source).filter { !$0.hasPrefix("expected/") && !$0.hasPrefix("out/") && !metadata.contains($0) }
            for f in inputs {
                let dest = work + "/" + f
                try fm.createDirectory(atPath: (dest as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try fm.copyItem(atPath: source + "/" + f, toPath: dest)
            }
            params = (readText(source + "/params") ?? "").split(separator: "\n").compactMap { line in
                guard let eq = line.firstIndex(of: "=") else { return nil }
                return (String(line[..<eq]), String(line[line.index(after: eq)...]))
            }
        }

        var arguments: [String]? {
            readText(source + "/args").map { $0.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
        }

        /// What the run wrote, with the work folder's path taken out of messages.
        func outcome(_ result: RunResult) -> (stdout: String, stderr: String, produced: [String]) {
            let clean = { (s: String) in s.replacingOccurrences(of: work + "/", with: "") }
            return (clean(result.stdout), clean(result.stderr), GoldenTests.files(under: work).filter { !inputs.contains($0) })
        }

        func compare(_ result: RunResult, mode: String) throws {
            let (stdout, stderr, produced) = outcome(result)
            let expected = source + "/expected"
            if ProcessInfo.processInfo.environment["ROSTER_GOLDEN_UPDATE"] != nil {
                try? fm.removeItem(atPath: expected)
                try fm.createDirectory(atPath: expected + "/files", withIntermediateDirectories: true)
                writeFile(expected + "/stdout", stdout)
                writeFile(expected + "/stderr", stderr)
                writeFile(expected + "/status", "\(result.status)\n")
                for f in produced {
                    let dest = expected + "/files/" + f
                    try fm.createDirectory(atPath: (dest as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                    try fm.copyItem(atPath: work + "/" + f, toPath: dest)
                }
                Issue.record("recorded a new baseline for \(name): review it with git diff, then run the tests again")
                return
            }
            #expect(stdout == readText(expected + "/stdout"), "stdout of \(name) (\(mode))")
            #expect(stderr == readText(expected + "/stderr"), "stderr of \(name) (\(mode))")
            #expect("\(result.status)\n" == readText(expected + "/status"), "status of \(name) (\(mode))")
            let want = GoldenTests.files(under: expected + "/files")
            #expect(produced == want, "files written by \(name) (\(mode))")
            for f in want where produced.contains(f) {
                if f.hasSuffix(".xlsx") {
                    // A workbook is compared part by part: the same parts with the same bytes, whatever
                    // zlib's version packs them into.
                    #expect(GoldenTests.parts(work + "/" + f) == GoldenTests.parts(expected + "/files/" + f), "\(name) (\(mode)): \(f) differs")
                } else {
                    #expect(readFile(work + "/" + f) == readFile(expected + "/files/" + f), "\(name) (\(mode)): \(f) differs")
                }
            }
        }
    }

    /// A zip's parts by name, inflated (nil when it cannot be read).
    static func parts(_ path: String) -> [String: [UInt8]]? {
        guard let bytes = readFile(path), var zip = try? ZipContainer(bytes: bytes, path: path) else { return nil }
        var out: [String: [UInt8]] = [:]
        for name in zip.names { out[name] = (try? zip.read(name)) ?? nil }
        return out
    }

    @Test("golden case, in-process", arguments: inProcessCases)
    func inProcess(_ name: String) throws {
        let c = try Case(name)
        defer { try? Self.fm.removeItem(atPath: c.work) }
        let scriptName = try #require(c.scriptName, "\(name) has no script")
        let result = runScript(
            readText(c.source + "/" + scriptName) ?? "", in: c.work,
            params: Dictionary(c.params, uniquingKeysWith: { $1 }), quiet: false, name: scriptName)
        try c.compare(result, mode: "in-process")
    }

    /// The same cases through the built binary: argument parsing, `main`, the standard streams and
    /// the exit status are part of what is compared.
    @Test("golden case, the roster binary", arguments: cases)
    func binary(_ name: String) throws {
        if ProcessInfo.processInfo.environment["ROSTER_GOLDEN_UPDATE"] != nil && Self.inProcessCases.contains(name) { return }
        let c = try Case(name)
        defer { try? Self.fm.removeItem(atPath: c.work) }
        var arguments = try c.arguments ?? [#require(c.scriptName, "\(name) has no script")]
        if c.arguments == nil {
            for (k, v) in c.params { arguments += ["--param", "\(k)=\(v)"] }
        }
        let result = try runBinary(arguments, stdin: readText(c.source + "/stdin"), in: c.work)
        try c.compare(result, mode: "binary")
    }
}
