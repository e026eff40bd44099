import Testing
import Foundation
@testable import RosterDiagnostics
@testable import RosterData
@testable import RosterLanguage
@testable import RosterPortal
@testable import RosterVerbs
@testable import RosterSession

/// Unbounded inputs: whatever the text or bytes, the parser, the reader and the evaluator either
/// succeed or return a diagnostic that points inside the input. They never crash.
@Suite("Fuzz")
struct FuzzTests {
    static let pieces = [
        "x", "users", "=", "==", "|", "(", ")", "[", "]", "{", "}", ",", ":", "\"a\"", "'b'", "`E-mail address`",
        "$p", "1", "2.5", "load", "\"f.csv\"", "where", "select", "set", "map", "using", "collapse", "by", "join",
        "as", "and", "or", "not", "in", "like", "~", "&", "??", "+", "-", "*", "/", "<", ">=", "let", "param",
        "print", "assert", "lower(", "len(", "\n", ";", "#c\n", "\\\n", "é", "“", "\"", "`",
    ]

    @Test("random statements parse or fail with a located message (3,000 cases)")
    func parser() {
        var rng = SplitMix64(seed: 1)
        for _ in 0..<3_000 {
            let text = (0..<Int.random(in: 1...25, using: &rng)).map { _ in Self.pieces.randomElement(using: &rng)! }.joined(separator: " ")
            do {
                _ = try ScriptParser.parse(SourceFile(name: "f", text: text))
            } catch {
                #expect(error.kind == .syntax, "\(text)")
                if let r = error.range { #expect(r.offset >= 0 && r.end <= text.utf8.count, "\(text)") } else { Issue.record("no range for: \(text)") }
                _ = DiagnosticRenderer(useColor: false).render(error)
            }
        }
    }

    @Test("random bytes load or fail with a message naming the file (3,000 cases)")
    func reader() {
        var rng = SplitMix64(seed: 2)
        let alphabet: [UInt8] = Array("ab,;\t\"\r\n \u{7F}".utf8) + [0x96, 0xC3, 0xA9, 0xE2, 0x80, 0xFF, 0x00]
        for _ in 0..<3_000 {
            let bytes = (0..<Int.random(in: 0...60, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            for threshold in [Int.max, 0] {
                var options = CSVReadOptions()
                options.parallelThreshold = threshold
                options.ragged = Bool.random(using: &rng) ? .error : .pad
                do {
                    let t = try CSVReader.read(bytes: bytes, path: "fuzz.csv", options: options).table
                    for c in t.columns { #expect(c.cells.count == t.rowCount, "\(bytes) ragged: \(options.ragged)") }
                    // Whatever loaded can be written.
                    _ = try CSVWriter.encode(t, dialect: t.origin!.dialect, path: "out.csv")
                } catch {
                    #expect(error.data?.path == "fuzz.csv" || error.data?.path == "out.csv")
                }
            }
        }
    }

    @Test("random expressions evaluate or fail with a located message (2,000 cases)")
    func evaluator() {
        var rng = SplitMix64(seed: 3)
        let atoms = ["A", "B", "\"x\"", "\"\"", "3", "0", "true", "[\"a\", \"b\"]", "{\"a\": \"1\"}", "$v", "t.A"]
        let unary = ["lower", "upper", "trim", "len", "digits", "phone", "isblank", "title", "date"]
        let binary = ["==", "!=", "<", "&", "??", "+", "/", "and", "or", "in", "like", "~"]
        func expr(_ depth: Int) -> String {
            if depth == 0 || Int.random(in: 0..<3, using: &rng) == 0 { return atoms.randomElement(using: &rng)! }
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: return "\(unary.randomElement(using: &rng)!)(\(expr(depth - 1)))"
            case 1: return "if(\(expr(depth - 1)), \(expr(depth - 1)), \(expr(depth - 1)))"
            case 2: return "not (\(expr(depth - 1)))"
            default: return "(\(expr(depth - 1)) \(binary.randomElement(using: &rng)!) \(expr(depth - 1)))"
            }
        }
        for _ in 0..<2_000 {
            let e = expr(4)
            let session = Session(output: BufferSink())
            session.quiet = true
            session.bindValue("v", .text("7"))
            session.bindTable("t", Table(names: ["A", "B"], rows: [["1", "x"], ["", "2"], ["00050000", "é"]]))
            do {
                try session.run(SourceFile(name: "f", text: "r = t | set R = \(e)"))
            } catch {
                #expect(error.kind == .runtime || error.kind == .syntax, "\(e)")
                #expect(error.range != nil, "\(e)")
            }
        }
    }
}

/// The fuzz targets' saved inputs (`Tests/Fuzz/corpus`), replayed by the normal build of
/// `roster-fuzz`: none crashes, and the structure-aware seeds reach the reader they are for (a seed
/// the harness could not zip or that every reader refused would fuzz nothing but the framing).
@Suite("Fuzz corpus")
struct FuzzCorpusTests {
    static let replay = projectRoot + "/.build/debug/roster-fuzz"

    func replay(_ target: String) throws -> (outcomes: [String: [String]], status: Int32) {
        let folder = projectRoot + "/Tests/Fuzz/corpus/" + target
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).sorted().map { folder + "/" + $0 }
        let run = try runBinary([target] + files, executable: Self.replay)
        var outcomes: [String: [String]] = [:]
        for line in run.stdout.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            let name = String(parts[0].split(separator: "/").last!)
            outcomes[name, default: []].append(parts[1].trimmingCharacters(in: .whitespaces))
        }
        return (outcomes, run.status)
    }

    @Test("every saved input of every target replays without a crash", arguments: ["csv", "parser", "format", "sheet", "zip", "oneroster"])
    func everyInputReplays(target: String) throws {
        #expect(try replay(target).status == 0)
    }

    @Test("a workbook built from its parts is read with shared strings, styles and the workbook part")
    func sheetSeedsReachTheReader() throws {
        let outcomes = try replay("sheet").outcomes
        #expect(outcomes["shared-styles"] == ["workbook: 3 rows, 11 columns"])
        #expect(outcomes["amplification"] == ["workbook: 5 rows, 26 columns"])
        #expect(outcomes["workbook-part"] == ["workbook: 2 rows, 3 columns"])
        #expect(outcomes["libreoffice-cells-parts"] == ["workbook: 3 rows, 16 columns"])
        #expect(outcomes["cell-twice"]?.first?.contains("writes cell A1 twice") == true)
    }

    @Test("named zip entries are zipped with correct CRCs and read as a workbook or a package")
    func zipSeedsReachTheReader() throws {
        let outcomes = try replay("zip").outcomes
        #expect(outcomes["openpyxl-cells-entries"] == ["zip: 3 rows, 16 columns"])
        #expect(outcomes["oneroster-entries"] == ["zip: 2 rows, 18 columns"])
        #expect(outcomes["two-packages"]?.first?.contains("holds 2 OneRoster packages") == true)
    }

    @Test("a OneRoster package's parts are read in every orgs= mode and zipped in a folder")
    func oneRosterSeedsReachTheReader() throws {
        let outcomes = try replay("oneroster").outcomes
        for seed in ["v11", "no-manifest-unknown-orgs", "delta-true-false"] {
            #expect(outcomes[seed]?.count == 4 && outcomes[seed]?.allSatisfy { $0.hasSuffix("2 rows, 18 columns") } == true, "\(seed)")
        }
        #expect(outcomes["v12-roles"]?.allSatisfy { $0.hasSuffix("2 rows, 19 columns") } == true)
    }
}
