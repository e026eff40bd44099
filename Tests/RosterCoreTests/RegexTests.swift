import Testing
@testable import RosterDiagnostics
@testable import RosterData
@testable import RosterLanguage
@testable import RosterPortal
@testable import RosterVerbs
@testable import RosterSession

@Suite("Regular expressions")
struct RegexTests {
    static let cases: [(String, String, Bool)] = [
        (#"^\d{14}$"#, "01611920000000", true),
        (#"^\d{14}$"#, "1611920000000", false),
        (#"^\d{14}$"#, "016119200000001", false),
        (#"^\d{8}(-\d{8})?$"#, "00050000-00055555", true),
        (#"^\d{8}(-\d{8})?$"#, "00050000-0005555", false),
        (#"^[^@\s]+@[^@\s]+\.[^@\s]+$"#, "ana@x.org", true),
        (#"^[^@\s]+@[^@\s]+\.[^@\s]+$"#, "ana @x.org", false),
        (#"^[^@\s]+@[^@\s]+\.[^@\s]+$"#, "josé@éc.org", true),
        ("TA|STC", "a STC b", true),
        ("^(TA|STC)$", "STCX", false),
        ("colou?r", "color", true),
        ("a.c", "a\nc", false),
        ("a.c", "aéc", true),
        ("^.{3}$", "née", true),  // characters, not bytes
        ("[a-c]+x", "zzbbx", true),
        ("[^a-c]", "abc", false),
        (#"\bTA\b"#, "the TA role", true),
        (#"\bTA\b"#, "STAFF", false),
        ("(?i)^test admin", "TEST ADMINISTRATOR", true),
        ("^$", "", true),
        ("x*", "", true),
        (#"\."#, "a.b", true),
        (#"\."#, "ab", false),
        ("[–-]", "Educator – Roster", true),
        ("a{2,3}", "caab", true),
        ("^a{2,3}$", "aaaa", false),
        ("(ab)+$", "xabab", true),
    ]

    @Test("matches", arguments: cases.indices)
    func match(_ i: Int) throws {
        let (p, s, want) = Self.cases[i]
        #expect(try Regex(p).matches(s) == want, "\(p) on \(s.debugDescription)")
    }

    @Test func badPatternsAreReportedWithAPosition() {
        for (p, pos) in [("(ab", 3), ("a)", 1), ("[a-", 0), ("*a", 0), (#"\q"#, 0)] {
            do { _ = try Regex(p); Issue.record("\(p) should fail") } catch { #expect(error.position == pos, "\(p)") }
        }
    }

    /// A pattern of one to four quantified atoms, perhaps anchored.
    static func randomPattern(_ rng: inout SplitMix64, extraAtoms: [String] = []) -> String {
        let atoms = ["a", "b", ".", "[ab]", "[^a]", #"\d"#, "1", "é", "(a|b)", "(ab)"] + extraAtoms
        let quantifiers = ["", "", "*", "+", "?", "{2}", "{1,2}"]
        var p = Bool.random(using: &rng) ? "^" : ""
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            p += atoms.randomElement(using: &rng)! + quantifiers.randomElement(using: &rng)!
        }
        if Bool.random(using: &rng) { p += "$" }
        return p
    }

    static func randomText(_ rng: inout SplitMix64, upTo n: Int) -> String {
        (0..<Int.random(in: 0...n, using: &rng)).map { _ in ["a", "b", "1", "é", "x"].randomElement(using: &rng)! }.joined()
    }

    @Test("the DFA and the NFA simulation agree on generated patterns and texts")
    func dfaAgreesWithSimulation() throws {
        var rng = SplitMix64(seed: 4242)
        for _ in 0..<300 {
            let p = Self.randomPattern(&rng)
            let re = try Regex(p)
            for _ in 0..<10 {
                let s = Self.randomText(&rng, upTo: 6)
                var bytes = s
                let viaDFA = re.matches(s)
                let viaNFA = bytes.withUTF8 { re.simulate($0) }
                #expect(viaDFA == viaNFA, "\(p) on \(s)")
            }
        }
    }

    /// The bit-parallel fallback agrees with the NFA simulation, from the start and when taking over
    /// from the DFA part-way through a text.
    @Test func theBitParallelFallbackAgreesWithTheNFA() throws {
        var rng = SplitMix64(seed: 777)
        for _ in 0..<300 {
            let p = Self.randomPattern(&rng, extraAtoms: [".{3}", "(a|bb)*"])
            let re = try Regex(p)
            let sim = BitSimulator(re)
            for _ in 0..<10 {
                var s = Self.randomText(&rng, upTo: 12)
                let viaNFA = s.withUTF8 { re.simulate($0) }
                let viaBits = s.withUTF8 { sim.run(re, $0, from: 0, live: sim.start) }
                #expect(viaBits == viaNFA, "\(p) on \(s)")
            }
        }
        // A pattern that fills the DFA cache: the rest runs on the fallback, with the same answers.
        let hostile = try Regex("^.*a.{200}b.{200}a$")
        for _ in 0..<3 {
            var text = (0..<8_000).map { _ in Bool.random(using: &rng) ? "a" : "b" }.joined()
            let expected = text.withUTF8 { hostile.simulate($0) }
            #expect(hostile.matches(text) == expected)
        }
        #expect(hostile.bitSimulator != nil)
    }

    @Test func hostilePatternsStayLinear() throws {
        // Catastrophic for backtracking engines; a few thousand steps here.
        let re = try Regex("^(a*)*b$")
        #expect(re.matches(String(repeating: "a", count: 20_000)) == false)
        let re2 = try Regex("(x+x+)+y")
        #expect(re2.matches(String(repeating: "x", count: 5_000)) == false)
    }
}

/// Inputs the fuzzers found, kept so they stay fixed.
@Suite("Fuzz findings")
struct FuzzFindingTests {
    /// A repeat count with more digits than an Int holds crashed the pattern parser.
    @Test func hugeRepeatCountsAreRefused() {
        for pattern in ["a{99999999999999999999}", "a{1,99999999999999999999}"] {
            #expect(throws: RegexError.self) { _ = try Regex(pattern) }
        }
        #expect(parseError("format f\ncolumns A\nrule A pattern \"\\\\d{99999999999999999999}\" message \"m\"\nend") != nil)
    }

    /// A date part with more digits than an Int holds is no date (it crashed `date()`).
    @Test func hugeDatePartsAreNoDate() throws {
        #expect(try value("date(\"99999999999999999999999-1-1\")") == "")
    }

    /// Numbers no Int holds (1e300, infinity, NaN) in a digit layout or a fixed format crashed the
    /// number formatter; they are written in General instead.
    @Test func hugeNumbersInNumberFormats() {
        for code in ["000-000-0000", "0.00", "#,##0", "00000000000000", "0%"] {
            for v in [1e300, -1e300, Double.infinity, Double.nan] { _ = NumberFormat(code).format(v) }
        }
        #expect(NumberFormat("000-000-0000").format(1e300) == NumberFormat.generalText(1e300))
        #expect(NumberFormat.generalText(.infinity) == "inf")
    }

    /// A cell reference with more letters or digits than an Int holds crashed the sheet reader; a
    /// lone value at a sheet's far corner would have made a table of billions of cells.
    @Test func sheetReferencesAndRangesAreBounded() {
        let letters = "<sheetData><row r=\"1\"><c r=\"" + String(repeating: "Z", count: 40) + "1\"><v>1</v></c></row></sheetData>"
        #expect((try? WorkbookReader.readSheet(Array(letters.utf8), path: "x.xlsx")) != nil)
        let rows = "<sheetData><row r=\"99999999999999999999\"><c><v>1</v></c></row><row r=\"2000000\"><c><v>1</v></c></row></sheetData>"
        #expect(throws: Diagnostic.self) { try WorkbookReader.readSheet(Array(rows.utf8), path: "x.xlsx") }
        // A boolean cell whose value is cut off at the end of the part.
        _ = try? WorkbookReader.readSheet(Array("<c t=\"b\"><v>".utf8), path: "x.xlsx")
        let corners = "<sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"1048576\"><c r=\"XFD1048576\"><v>2</v></c></row></sheetData>"
        do {
            _ = try WorkbookReader.readSheet(Array(corners.utf8), path: "x.xlsx")
            Issue.record("no error")
        } catch { #expect(error.message.contains("span XFD1048576 but hold only 2 cells")) }
    }
}
