import Foundation
import Testing
@testable import RosterDiagnostics
@testable import RosterData
@testable import RosterLanguage
@testable import RosterPortal
@testable import RosterVerbs
@testable import RosterSession

/// Error positions are written into the source with `⟨` and `⟩` around the span the caret must
/// cover; the markers are removed before parsing.
func marked(_ text: String) -> (String, SourceRange?) {
    guard let open = text.range(of: "⟨"), let close = text.range(of: "⟩") else { return (text, nil) }
    let before = String(text[..<open.lowerBound])
    let inside = String(text[open.upperBound..<close.lowerBound])
    let after = String(text[close.upperBound...])
    return (before + inside + after, SourceRange(offset: before.utf8.count, length: inside.utf8.count))
}

func parseError(_ text: String) -> Diagnostic? {
    do {
        _ = try ScriptParser.parse(SourceFile(name: "t.roster", text: text))
        return nil
    } catch {
        return error
    }
}

@Suite("Lexer")
struct LexerTests {
    func kinds(_ s: String) throws -> [Token.Kind] {
        var l = Lexer(s)
        return try l.tokenize().map(\.kind)
    }

    @Test func tokens() throws {
        #expect(try kinds("users = load $past # comment") == [.identifier("users"), .symbol("="), .identifier("load"), .variable("past"), .end])
        #expect(
            try kinds("`E-mail address` != \"a\\\"b\" & 'c'") == [
                .quotedName("E-mail address"), .symbol("!="), .string("a\"b"), .symbol("&"), .string("c"), .end,
            ])
        #expect(
            try kinds("3.5 200 ?? <= >= ==") == [.number(3.5, "3.5"), .number(200, "200"), .symbol("??"), .symbol("<="), .symbol(">="), .symbol("=="), .end])
    }

    @Test func backslashesStayInPatterns() throws {
        #expect(try kinds(#""^\d{8}(-\d{8})?$""#) == [.string(#"^\d{8}(-\d{8})?$"#), .end])
        #expect(try kinds(#""a\tb\nc\\d""#) == [.string("a\tb\nc\\d"), .end])
    }

    @Test func lineBreaksEndStatementsExceptInsideBrackets() throws {
        #expect(try kinds("a\nb") == [.identifier("a"), .newline, .identifier("b"), .end])
        #expect(try kinds("f(a,\n b)") == [.identifier("f"), .symbol("("), .identifier("a"), .symbol(","), .identifier("b"), .symbol(")"), .end])
        #expect(try kinds("a; b") == [.identifier("a"), .newline, .identifier("b"), .end])
    }

    @Test func accentedNamesAreIdentifiers() throws {
        #expect(try kinds("Prénom") == [.identifier("Prénom"), .end])
    }

    @Test func errorsPointAtTheProblem() {
        for src in ["x = ⟨\"⟩open", "x = ⟨`⟩open", "a ⟨“⟩b”", "⟨$⟩ + 1"] {
            let (text, range) = marked(src)
            #expect(parseError(text)?.range == range, "\(src)")
        }
        #expect(
            parseError("a = ⟨“⟩".replacingOccurrences(of: "⟨", with: "").replacingOccurrences(of: "⟩", with: ""))?.hints.first?.contains("straight quotes")
                == true)
    }

    @Test func deepNestingIsRefused() {
        let text = "let x = " + String(repeating: "(", count: 500) + "1" + String(repeating: ")", count: 500)
        #expect(parseError(text)?.message.contains("nested") == true)
    }
}

@Suite("Parser")
struct ParserTests {
    func statements(_ s: String) throws -> [Statement] { try ScriptParser.parse(SourceFile(name: "t", text: s)) }

    @Test func theContractRecipeParses() throws {
        let recipe = """
            # Yearly rollover
            param past  = "data/mcas-users-2024.csv"
            param staff = "data/hr-staff-2025.csv"

            users = load $past
            hr    = load $staff as csv

            stay  = users | where lower(Email) in lower(hr.email)
            new   = hr
              | where lower(email) not in lower(users.Email)
              | select Username = lower(email), Fname = first, Lname = last, Email = lower(email), Role = "TA", Org = org

            upload = stay | append new
            upload | where Notes != "" | save "out/mcas-errors.csv"
            """
        let s = try statements(recipe)
        #expect(s.count == 8)
        guard case .bind("new", let p) = s[5].kind else { Issue.record("expected a binding"); return }
        #expect(p.steps.count == 2)
    }

    @Test func pipelinesContinueAfterOrBeforeABar() throws {
        let a = try statements("x = t |\n where A == 1 |\n head 2")
        let b = try statements("x = t\n  | where A == 1\n  | head 2")
        for s in [a, b] {
            guard case .bind(_, let p) = s[0].kind else { Issue.record("expected a binding"); return }
            #expect(p.steps.count == 2)
        }
    }

    @Test func keywordsIgnoreCase() throws {
        let s = try statements("x = t | WHERE A == 1 AND NOT B == 2 | Sort A DESC")
        guard case .bind(_, let p) = s[0].kind else { Issue.record("expected a binding"); return }
        #expect(p.steps.count == 2)
    }

    @Test func precedence() throws {
        let s = try statements("let x = 1 + 2 * 3 == 7 and \"a\" & \"b\" == \"ab\" or false")
        guard case .let(_, let e) = s[0].kind, case .binary(.or, let l, _) = e.kind, case .binary(.and, let cmp, _) = l.kind,
            case .binary(.equal, let sum, _) = cmp.kind, case .binary(.add, _, let product) = sum.kind,
            case .binary(.multiply, _, _) = product.kind
        else {
            Issue.record("wrong tree"); return
        }
    }

    @Test(
        "syntax errors point at the right place",
        arguments: [
            ("x = t | ⟨wher⟩ A == 1", "unknown verb 'wher'", "did you mean 'where'?"),
            ("x = t | where A == ⟨)⟩", "expected a value", nil),
            ("x = t | rename A ⟨to⟩ B", "expected 'as'", nil),
            ("let x = [1, 2⟨⟩", "expected ']'", nil),
            ("x = t | sort ⟨1⟩", "expected a column name", nil),
            ("x = t | where a < b ⟨<⟩ c", "comparisons cannot be chained", nil),
            ("x = ⟨where⟩ A == 1", "a pipeline starts with a table", nil),
            ("x = t | where A ⟨!⟩= 1 ⟨⟩", "", nil),
            ("x = t | collapse ⟨Email⟩", "expected 'by'", nil),
            ("x = t | save \"a.csv\" chunk ⟨x⟩", "expected the number of rows", nil),
        ] as [(String, String, String?)])
    func errorPositions(source: String, message: String, hint: String?) {
        var text = source
        if text.contains("⟨!⟩= 1 ⟨⟩") { text = "x = t | where A ⟨!⟩ 1" }
        let (clean, range) = marked(text)
        guard let d = parseError(clean) else { Issue.record("no error for \(clean)"); return }
        #expect(d.kind == .syntax)
        if let range { #expect(d.range == range, "\(clean): got \(String(describing: d.range)) want \(range)") }
        if !message.isEmpty { #expect(d.message.contains(message), "\(d.message)") }
        if let hint { #expect(d.hints.contains(hint), "\(d.hints)") }
    }

    @Test func misspelledKeywordsGetSuggestions() {
        #expect(parseError("x = t | collapse bye Email")?.hints.contains("did you mean 'by'?") == true)
        #expect(parseError("x = t | map A usin {}")?.hints.contains("did you mean 'using'?") == true)
        #expect(parseError("lett x = 1")?.hints.contains("did you mean 'let'?") == true)
        #expect(parseError("x = lod \"a.csv\"")?.hints.contains("did you mean 'load'?") == true)
        #expect(parseError("prnt \"hi\"")?.hints.contains("did you mean 'print'?") == true)
        #expect(parseError("t | check as tao")?.hints == ["check is a statement, not a verb: check TABLE as FORMAT [with NAME = TABLE, ...]"])
    }

    @Test func theRendererShowsLineCaretAndHint() {
        let src = SourceFile(name: "r.roster", text: "a = load \"x.csv\"\nb = a | wher X == 1\n")
        var d = parseError(src.text)!
        d.source = nil
        d = d.located(in: src)
        let text = DiagnosticRenderer(useColor: false).render(d)
        #expect(
            text == """
                r.roster:2:9: error: unknown verb 'wher'
                 2 | b = a | wher X == 1
                   |         ^~~~
                   = did you mean 'where'?

                """)
    }

    /// Options are checked when the script is parsed: names always, values when written as literals.
    @Test func optionsAreCheckedAtParseTime() {
        let misspelled = parseError("t = load \"a.csv\" delimter=\";\"")
        #expect(misspelled?.kind == .syntax && misspelled?.message == "unknown load option 'delimter'")
        #expect(misspelled?.hints.contains("did you mean 'delimiter'?") == true)
        #expect(parseError("t | save \"b.csv\" bom=maybe") == nil)  // a column named maybe: checked when it runs
        #expect(parseError("t | save \"b.csv\" bom=\"maybe\"")?.message == "bom must be true or false")
        #expect(parseError("t | save \"b.csv\" newlines=\"crlf\" formulas=\"neutralize\"") == nil)
        #expect(parseError("t = load \"a.csv\" sep=\"tab\" ragged=\"pad\"") == nil)
        #expect(
            parseError("t | save \"b.csv\" colour=\"red\"")?.hints.contains(
                "save options: encoding, newline, bom, formulas, sheet, passwords, dangers, replace") == true
        )
    }

    /// A value that comes from a variable is checked by the same rule when the statement runs.
    @Test func optionValuesFromVariablesAreCheckedWhenRun() {
        let dir = temporaryFolder()
        writeFile(dir + "/a.csv", "x\n1\n")
        let r = runScript("let nl = \"unix\"\nt = load \"a.csv\"\nt | save \"b.csv\" newline=$nl\n", in: dir)
        #expect(r.status == 1)
        #expect(r.stderr.contains("newline must be \"lf\", \"crlf\" or \"cr\""))
        #expect(!FileManager.default.fileExists(atPath: dir + "/b.csv"))
    }
}
