import Foundation
import Testing
@testable import RosterDiagnostics
@testable import RosterData
@testable import RosterLanguage
@testable import RosterPortal
@testable import RosterVerbs
@testable import RosterSession

/// Golden tests: each folder under Tests/Golden/<group>/<case>/ holds `script.roster`, its input files,
/// optional `params` (NAME=VALUE lines, as --param gives them) and `expected/` with `stdout`, `stderr`,
/// `status` and `files/` (every file the script must write, byte for byte; it must write no other).
/// Run with ROSTER_GOLDEN_UPDATE=1 to rewrite the expected files, then review them with `git diff`.
@Suite("Golden")
struct GoldenTests {
    static let root = projectRoot + "/Tests/Golden"
    static let fm = FileManager.default

    /// Golden folders, relative to the project: Tests/Golden/<group>/<case>, and every recipe folder
    /// under Scripts/ that has an `expected/` folder (its `rollover.roster`, or its one `.roster` file, is the script).
    static var cases: [String] {
        var out: [String] = []
        for dir in ((try? fm.contentsOfDirectory(atPath: projectRoot + "/Scripts")) ?? []).sorted()
        where fm.fileExists(atPath: "\(projectRoot)/Scripts/\(dir)/expected") {
            out.append("Scripts/" + dir)
        }
        for group in ((try? fm.contentsOfDirectory(atPath: root)) ?? []).sorted() {
            for c in ((try? fm.contentsOfDirectory(atPath: root + "/" + group)) ?? []).sorted()
            where fm.fileExists(atPath: "\(root)/\(group)/\(c)/script.roster") {
                out.append("Tests/Golden/" + group + "/" + c)
            }
        }
        return out
    }

    static func files(under dir: String) -> [String] {
        guard let e = fm.enumerator(atPath: dir) else { return [] }
        var out: [String] = []
        while let f = e.nextObject() as? String {
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: dir + "/" + f, isDirectory: &isDir), !isDir.boolValue { out.append(f) }
        }
        return out.sorted()
    }

    @Test("golden case", arguments: cases)
    func golden(_ name: String) throws {
        let src = projectRoot + "/" + name
        let scripts = (try Self.fm.contentsOfDirectory(atPath: src)).filter { $0.hasSuffix(".roster") }.sorted()
        let scriptName = !name.hasPrefix("Scripts/") ? "script.roster"
            : scripts.contains("rollover.roster") ? "rollover.roster" : scripts[0]
        let work = temporaryFolder()
        defer { try? Self.fm.removeItem(atPath: work) }
        let inputs = Self.files(under: src).filter { !$0.hasPrefix("expected/") && !$0.hasPrefix("out/") }
        for f in inputs {
            let dest = work + "/" + f
            try Self.fm.createDirectory(atPath: (dest as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Self.fm.copyItem(atPath: src + "/" + f, toPath: dest)
        }
        var params: [String: String] = [:]
        if let p = readText(src + "/params") {
            for line in p.split(separator: "\n") where line.contains("=") {
                let parts = line.split(separator: "=", maxSplits: 1)
                params[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
            }
        }
        let result = runScript(readText(src + "/" + scriptName)!, in: work, params: params, quiet: false, name: scriptName)
        let clean = { (s: String) in s.replacingOccurrences(of: work + "/", with: "") }
        let stdout = clean(result.stdout), stderr = clean(result.stderr)
        let produced = Self.files(under: work).filter { !inputs.contains($0) }
        let expected = src + "/expected"

        if ProcessInfo.processInfo.environment["ROSTER_GOLDEN_UPDATE"] != nil {
            try? Self.fm.removeItem(atPath: expected)
            try Self.fm.createDirectory(atPath: expected + "/files", withIntermediateDirectories: true)
            writeFile(expected + "/stdout", stdout)
            writeFile(expected + "/stderr", stderr)
            writeFile(expected + "/status", "\(result.status)\n")
            for f in produced {
                let dest = expected + "/files/" + f
                try Self.fm.createDirectory(atPath: (dest as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Self.fm.copyItem(atPath: work + "/" + f, toPath: dest)
            }
            return
        }
        #expect(stdout == readText(expected + "/stdout"), "stdout of \(name)")
        #expect(stderr == readText(expected + "/stderr"), "stderr of \(name)")
        #expect("\(result.status)\n" == readText(expected + "/status"), "status of \(name)")
        let want = Self.files(under: expected + "/files")
        #expect(produced == want, "files written by \(name)")
        for f in want where produced.contains(f) {
            #expect(readFile(work + "/" + f) == readFile(expected + "/files/" + f), "\(name): \(f) differs")
        }
    }
}
