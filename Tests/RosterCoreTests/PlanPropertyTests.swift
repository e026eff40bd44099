import Testing
@testable import RosterDiagnostics
@testable import RosterData
@testable import RosterLanguage
@testable import RosterPortal
@testable import RosterVerbs
@testable import RosterSession

/// The columnar matcher and rule checker against plain row-by-row references, on random tables of
/// the kinds that go wrong: case and space variants, accents, blanks, repeats, values near a rule's edge.
@Suite("Plans and rules against row-by-row references")
struct PlanPropertyTests {
    static let names = ["ann@x.org", "ANN@x.org", "bo@x.org", " bo@x.org", "Zoë@x.org", "zoë@x.org", "", "cy@x.org", "cy@x.org ", "dee@x.org"]

    func table(_ rng: inout Rng, rows: Int) throws -> Table {
        let header = "Username,Fname,Lname,Email,Role,Org,Program,Phone,Fax,Address\n"
        var text = header
        for _ in 0..<rows {
            let u = rng.pick(Self.names)
            let role = rng.pick(["TA", "ta", "STC", "XX", "", "DTC"])
            let org = rng.pick(["00050000", "00050000-00055555", "50000", "00050000|00050000-00055556", "abc"])
            let phone = rng.pick(["", "617-555-0101", "6175550101"])
            let first = rng.pick(["Ann", "", "Renée", String(repeating: "x", count: 26), "José", "JosÃ©", "Renée\u{A0}", "\u{A0}Ann", "Ã‰mile", "Nguyá»…n"])
            text += "\"\(u)\",\(first),Lee,\(u),\(role),\(org),\(rng.pick(["", "1030", "1036"])),\(phone),,\n"
        }
        return try CSVReader.read(bytes: Array(text.utf8), path: "t.csv").table
    }

    @Test func matchingAgreesWithADictionaryOfLowerCasedKeys() throws {
        let f = FormatRegistry.standard.format(named: "mcas")!
        var rng = Rng(state: 42)
        for _ in 0..<200 {
            let current = try table(&rng, rows: Int(rng.next() % 12))
            let upload = try table(&rng, rows: Int(rng.next() % 12))
            let matcher = KeyMatcher(format: f, key: ["Username"], current: current)
            let got = matcher.matches(upload).currentRow.map { $0 < 0 ? nil : Int($0) }
            var first: [String: Int] = [:]
            for r in (0..<current.rowCount).reversed() { first[current.column("Username")![r].lowercased()] = r }
            let want = (0..<upload.rowCount).map { first[upload.column("Username")![$0].lowercased()] }
            #expect(got == want)
        }
    }

    /// The rules of a format, checked the plain way: a String per cell.
    func reference(_ rule: ColumnRule, _ column: TextColumn) throws -> [Int] {
        let regex = try rule.constraints.compactMap { c -> Regex? in if case .pattern(let p) = c { return try Regex("^(?:" + p + ")$") } else { return nil } }
            .first
        var seen = Set<String>()
        var out: [Int] = []
        for r in 0..<column.count {
            let cell = column[r]
            let blank = cell.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\u{A0}" }
            var failed = false
            for c in rule.constraints {
                switch c {
                case .required: if blank { failed = true }
                case .unique(let ignoring):
                    if blank { continue }
                    if !seen.insert(ignoring ? cell.lowercased() : cell).inserted { failed = true }
                case .length(let a, let b):
                    if blank { continue }
                    for p in rule.separator.map({ cell.split(separator: $0, omittingEmptySubsequences: false).map(String.init) }) ?? [cell]
                    where p.unicodeScalars.count < a || p.unicodeScalars.count > b { failed = true }
                case .pattern:
                    if blank { continue }
                    for p in rule.separator.map({ cell.split(separator: $0, omittingEmptySubsequences: false).map(String.init) }) ?? [cell]
                    where !(regex!.matches(p)) { failed = true }
                case .oneOf(let values, let ignoring):
                    if blank { continue }
                    for p in rule.separator.map({ cell.split(separator: $0, omittingEmptySubsequences: false).map(String.init) }) ?? [cell] {
                        let ok = ignoring ? values.contains { $0.lowercased() == p.lowercased() } : values.contains(p)
                        if !ok { failed = true }
                    }
                }
            }
            if failed { out.append(r) }
        }
        return out
    }

    @Test func columnRulesAgreeWithStringChecks() throws {
        var rng = Rng(state: 7)
        for name in ["mcas", "pass", "toms", "pan"] {
            let f = FormatRegistry.standard.format(named: name)!
            let v = FormatValidator(f)
            for _ in 0..<40 {
                let t = try table(&rng, rows: 1 + Int(rng.next() % 15))
                for (k, rule) in f.rules.enumerated() {
                    let column = t.columns.first { f.matches($0.name, rule.column) }?.cells ?? TextColumn(repeating: "", count: t.rowCount)
                    let got = try v.check(rule, column, as: .rule(k)).map(\.0)
                    #expect(got == (try reference(rule, column)), "\(name) \(rule.column)")
                }
            }
        }
    }

    /// `fix` copies plain cells without looking at them as text; the result is the same as looking.
    @Test func fixSkipsOnlyWhatNeedsNothing() throws {
        var rng = Rng(state: 99)
        for name in ["mcas", "toms", "pass"] {
            let f = FormatRegistry.standard.format(named: name)!
            for _ in 0..<40 {
                let t = try table(&rng, rows: 1 + Int(rng.next() % 15))
                let fast = Fixer(f).fix(t)
                let slow = Fixer(f).fix(t, skipPlainCells: false)
                #expect(fast.0.rows == slow.0.rows && fast.1 == slow.1 && fast.2 == slow.2, "\(name)")
            }
        }
    }

    /// `fix` looks at a cell as text only when its bytes may be mangled; every text the repair
    /// changes has such bytes (mangled accents, dashes, quotes and symbols, beside plain ones).
    @Test func mangledTextIsAlwaysLookedAt() throws {
        var rng = Rng(state: 11)
        let originals = ["é", "–", "—", "’", "“", "€", "™", "Œ", "ß", "ễ", "日", "😀", "\u{A0}", "ñ", "a", " ", "-"]
        let pieces =
            originals + originals.map { o in String(decoding: Array(o.utf8).withUnsafeBufferPointer { TextEncoding.decodeWindows1252($0) }, as: UTF8.self) }
        for _ in 0..<5_000 {
            let text = (0..<Int(rng.next() % 6)).map { _ in rng.pick(pieces) }.joined()
            let repaired = Fixer.mojibake(text)
            let looked = Array(text.utf8).withUnsafeBufferPointer { Fixer.mayBeMangled($0) }
            #expect(repaired == nil || looked, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    /// The column-at-a-time regex loop gives what matching cell by cell gives, for texts with
    /// accents, symbols and spaces, and for patterns over ASCII, Unicode classes and alternatives.
    @Test func matchingAColumnAgreesWithMatchingEachCell() throws {
        var rng = Rng(state: 5)
        let pieces = ["a", "Z", "0", "9", "@", ".", "-", " ", "é", "ß", "\u{A0}", "日", "😀", "|", "x.org"]
        let patterns = [
            "[A-Za-z0-9@._+-]+", "[^@\\s]+@[^@\\s]+\\.[^@\\s]+", "\\d{3}-\\d{3}-\\d{4}", "(a|é|日)+", ".*ß.*", "\\w+( \\w+)*",
        ]
        let asciiPieces = pieces.filter { $0.allSatisfy(\.isASCII) }
        let searches = ["\\d{2}-\\d", "(^|\\|)a(\\||$)", "x\\.org", "@"]
        for pattern in patterns.map({ "^(?:" + $0 + ")$" }) + searches {
            let re = try Regex(pattern)
            for k in 0..<60 {
                // Half the columns ASCII only, so cells go through the automaton two at a time.
                let from = k % 2 == 0 ? asciiPieces : pieces
                let cells = (0..<Int(rng.next() % 40)).map { _ in (0..<Int(rng.next() % 8)).map { _ in rng.pick(from) }.joined() }
                let column = TextColumn(cells)
                let oneByOne = try Regex(pattern)
                let want = cells.map { oneByOne.matches($0) }
                #expect(re.matchEach(column) == want, "\(pattern)")
                let mask = cells.map { _ in rng.next() % 3 != 0 }
                #expect(re.matchEach(column, where: mask) == zip(want, mask).map { $0 && $1 }, "\(pattern) where")
            }
            // A column large enough to run as two halves on two threads, the DFA still being built.
            let cells = (0..<120_000).map { _ in (0..<Int(rng.next() % 8)).map { _ in rng.pick(pieces) }.joined() }
            let fresh = try Regex(pattern)
            #expect(fresh.matchEach(TextColumn(cells)) == cells.map { re.matches($0) }, "\(pattern), large")
        }
    }

    /// `len` over a column (continuation bytes counted a word at a time) gives each cell's count of
    /// Unicode scalars, whatever the mix of one- to four-byte characters and where they fall.
    @Test func columnCharacterCountsAgreeWithStrings() {
        var rng = Rng(state: 8)
        let pieces = ["a", "Z", " ", "é", "ß", "\u{A0}", "日", "😀", "abcdefgh"]
        for _ in 0..<200 {
            let ascii = rng.next() % 4 == 0
            let cells = (0..<Int(rng.next() % 30)).map { _ in
                (0..<Int(rng.next() % 12)).map { _ in ascii ? "a" : rng.pick(pieces) }.joined()
            }
            #expect(VectorOps.codePointCounts(TextColumn(cells)) == cells.map { Double($0.unicodeScalars.count) })
        }
    }

    /// The plan's byte comparison of compared columns finds exactly the rows a String comparison finds.
    /// A large upload planned in two halves on two threads gives what one pass gives: every row's
    /// action and reason, and every danger with its lines in order and its count of users.
    @Test func planningInHalvesAgreesWithOnePass() throws {
        var rng = Rng(state: 99)
        func users(_ rows: Int) throws -> Table {
            var text = "Username,Fname,Lname,Email,Role,Org,Program,Phone,Fax,Address\n"
            for _ in 0..<rows {
                let u = "u\(rng.next() % 150_000)@x.org"
                let role = rng.pick(["TA", "TA", "TA", "STC", "XX", ""])
                let org = rng.pick(["00050000", "00050000", "00050000-00055555", "abc"])
                let last = rng.pick(["Lee", "Lee", "Lee", "Li", ""])
                text += "\(u),Ann,\(last),\(u),\(role),\(org),,617-555-0101,,\n"
            }
            return try CSVReader.read(bytes: Array(text.utf8), path: "t.csv").table
        }
        let upload = try users(110_000), current = try users(60_000)
        let f = FormatRegistry.standard.format(named: "mcas")!
        let s = Session(output: BufferSink())
        var onePass = Planner(f)
        onePass.rowsInParallelFrom = Int.max
        let (want, wantTable) = try onePass.plan(upload, against: current, bindings: s, at: SourceRange(offset: 0, length: 0))
        let (got, gotTable) = try Planner(f).plan(upload, against: current, bindings: s, at: SourceRange(offset: 0, length: 0))
        #expect(gotTable.rows == wantTable.rows)
        #expect(got.dangers.map(\.title) == want.dangers.map(\.title))
        #expect(got.dangers.map(\.lines) == want.dangers.map(\.lines))
        #expect(got.dangers.map(\.users) == want.dangers.map(\.users))
        #expect(PlanAction.allCases.map { got.count($0) } == PlanAction.allCases.map { want.count($0) })
        #expect(want.count(.update) > 0 && want.count(.reject) > 0 && !want.dangers.isEmpty)
    }

    @Test func changedRowsAgreeWithStringComparison() throws {
        var rng = Rng(state: 11)
        let f = FormatRegistry.standard.format(named: "mcas")!
        for _ in 0..<100 {
            let current = try table(&rng, rows: 1 + Int(rng.next() % 12))
            let upload = try table(&rng, rows: 1 + Int(rng.next() % 12))
            let planner = Planner(f)
            let given = Set(upload.names)
            let compared = planner.comparedColumns(upload, current, given: given, key: ["Username"])
            let rows = (0..<upload.rowCount).map { _ in Int32(Int(rng.next() % UInt64(current.rowCount + 1))) - 1 }
            let want = rows.indices.map { r in rows[r] >= 0 && compared.contains { $0.new[r] != $0.old[Int(rows[r])] } }
            #expect(Planner.differing(compared, rows) == want)
        }
    }
}
