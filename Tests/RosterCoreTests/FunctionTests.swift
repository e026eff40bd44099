import Testing
@testable import RosterDiagnostics
@testable import RosterData
@testable import RosterLanguage
@testable import RosterPortal
@testable import RosterVerbs
@testable import RosterSession

/// Evaluates EXPR in every row of a small table and returns the column it makes.
func column(_ expr: String, csv: String = "A,B\nx,1\n") throws -> [String] {
    let sink = BufferSink()
    let session = Session(output: sink)
    session.quiet = true
    session.bindTable("t", try CSVReader.read(bytes: Array(csv.utf8), path: "t.csv").table)
    try session.run(SourceFile(name: "test", text: "r = t | set result = \(expr)"))
    return session.tables["r"]!.column("result")!.strings
}

/// Evaluates EXPR outside any table.
func value(_ expr: String) throws -> String {
    let sink = BufferSink()
    let session = Session(output: sink)
    try session.run(SourceFile(name: "test", text: "print \(expr)"))
    return String(sink.stdout.dropLast())
}

func runtimeError(_ text: String, csv: String = "A,B\nx,1\n") -> Diagnostic? {
    let session = Session(output: BufferSink())
    session.quiet = true
    do {
        session.bindTable("t", try CSVReader.read(bytes: Array(csv.utf8), path: "t.csv").table)
        try session.run(SourceFile(name: "test", text: text))
        return nil
    } catch {
        return error
    }
}

@Suite("Functions")
struct FunctionTests {
    static let people = "Name,Email,Phone,Org,Date\n  maría José ,Ana@X.org , (555) 123-4567,01|02,3/30/2025\nBob,bob@y.org,555-1234,,2025-02-29\n"

    /// (function, expression, input, expected column). Every registered function has a case.
    static let cases: [(String, String, String, [String])] = [
        ("lower", "lower(Email)", people, ["ana@x.org ", "bob@y.org"]),
        ("lower", "lower(\"ÉCOLE\")", people, ["école", "école"]),
        ("upper", "upper(Name)", people, ["  MARÍA JOSÉ ", "BOB"]),
        ("trim", "trim(Name)", people, ["maría José", "Bob"]),
        ("trim", "trim(\"\u{A0}x\u{A0}\")", people, ["x", "x"]),
        ("trim", "trim(\"\u{A0} x\t\", \" \\t\")", people, ["\u{A0} x", "\u{A0} x"]),
        ("title", "title(trim(Name))", people, ["María José", "Bob"]),
        ("title", "title(Name)", "Name\no'BRIEN\ndon't STOP\nd’angelo\n", ["O'Brien", "Don't Stop", "D’Angelo"]),
        ("len", "len(Name)", people, ["13", "3"]),
        ("left", "left(trim(Name), 3)", people, ["mar", "Bob"]),
        ("right", "right(trim(Name), 2)", people, ["sé", "ob"]),
        ("substr", "substr(trim(Name), 2, 3)", people, ["arí", "ob"]),
        ("substr", "substr(Email, 5)", people, ["X.org ", "y.org"]),
        ("replace", "replace(Org, \"|\", \" \")", people, ["01 02", ""]),
        ("contains", "contains(Email, \"@X\")", people, ["true", "false"]),
        ("startswith", "startswith(Email, \"bob\")", people, ["false", "true"]),
        ("endswith", "endswith(trim(Email), \".org\")", people, ["true", "true"]),
        ("matches", "matches(Phone, \"\\d{3}-\\d{4}$\")", people, ["true", "true"]),
        ("pad", "pad(\"50000\", 8)", people, ["00050000", "00050000"]),
        ("pad", "pad(B, 3, \"*\")", "A,B\nx,1\n", ["**1"]),
        ("text", "text(\"45899\", \"m/d/yyyy\")", people, ["8/30/2025", "8/30/2025"]),
        ("text", "text(B, \"00000\")", "A,B\nx,50\ny,abc\n", ["00050", "abc"]),
        ("text", "text(\"0\", \"m/d/yyyy\", \"true\")", people, ["1/1/1904", "1/1/1904"]),
        ("digits", "digits(Phone)", people, ["5551234567", "5551234"]),
        ("phone", "phone(Phone)", people, ["555-123-4567", ""]),
        ("phone", "phone(Phone, Phone)", people, ["555-123-4567", "555-1234"]),
        ("date", "date(Date)", people, ["2025-03-30", ""]),
        ("date", "date(\"2025-03-05\", \"M/D/YYYY\")", people, ["3/5/2025", "3/5/2025"]),
        ("date", "date(\"03/05/25\", \"MM/DD/YY\")", people, ["03/05/25", "03/05/25"]),
        ("if", "if(Org == \"\", \"none\", Org)", people, ["01|02", "none"]),
        ("coalesce", "coalesce(Org, Phone)", people, ["01|02", "555-1234"]),
        ("lookup", "lookup(trim(Name), {\"Bob\": \"B\"}, \"?\")", people, ["?", "B"]),
        ("isblank", "isblank(Org)", people, ["false", "true"]),
        ("split", "join(split(Org, \"|\"), \"+\")", people, ["01+02", ""]),
        ("join", "join([\"a\", \"b\"], \"-\")", people, ["a-b", "a-b"]),
        ("rows", "rows(t)", people, ["2", "2"]),
        ("rows", "rows()", people, ["2", "2"]),
    ]

    @Test("function cases", arguments: cases.indices)
    func functionCase(_ i: Int) throws {
        let (_, expr, csv, expected) = Self.cases[i]
        #expect(try column(expr, csv: csv) == expected, "\(expr)")
    }

    @Test func everyFunctionHasACase() {
        let tested = Set(Self.cases.map(\.0))
        let extra: Set<String> = ["today"]  // tested below: its value depends on the day
        for name in FunctionRegistry.standard.names { #expect(tested.contains(name) || extra.contains(name), "no test case for \(name)") }
    }

    @Test func today() throws {
        let v = try value("today()")
        #expect(SimpleDate(parsing: v) != nil && v.count == 10)
        #expect(try value("today(\"YYYY\")").count == 4)
    }

    @Test func functionsApplyToEachItemOfAList() throws {
        #expect(try value("lower([\"A\", \"B\"])") == "[\"a\", \"b\"]")
        #expect(try value("len([\"ab\", \"c\"])") == "[2, 1]")
    }

    @Test func lookupInAnotherTable() throws {
        let sink = BufferSink()
        let s = Session(output: sink)
        s.quiet = true
        s.bindTable("hr", Table(names: ["email", "title"], rows: [["a@x", "Teacher"], ["b@x", "Principal"], ["a@x", "Later"]]))
        s.bindTable("t", Table(names: ["E"], rows: [["b@x"], ["a@x"], ["c@x"]]))
        try s.run(SourceFile(name: "t", text: "r = t | set T = lookup(E, hr.email, hr.title, \"-\")"))
        #expect(s.tables["r"]!.column("T")!.strings == ["Principal", "Teacher", "-"])
    }

    @Test func wrongArgumentCountsAndUnknownFunctions() {
        #expect(runtimeError("r = t | set x = lower(A, B)")?.message == "lower takes 1 argument, not 2")
        let d = runtimeError("r = t | set x = lowr(A)")
        #expect(d?.message == "unknown function 'lowr'")
        #expect(d?.hints == ["did you mean lower()?"])
    }
}

@Suite("Operators")
struct OperatorTests {
    static let t = "A,B,C\n00050000,10,x\n7,9,\n"

    @Test func comparisons() throws {
        #expect(try column("A == \"00050000\"", csv: Self.t) == ["true", "false"])
        #expect(try column("A == 50000", csv: Self.t) == ["true", "false"])  // numbers compare as numbers
        #expect(try column("B > 9", csv: Self.t) == ["true", "false"])
        #expect(try column("B > \"9\"", csv: Self.t) == ["false", "false"])  // text compares as text
        #expect(try column("C != \"\"", csv: Self.t) == ["true", "false"])
    }

    @Test func logicAndText() throws {
        #expect(try column("B > 9 and not C == \"\"", csv: Self.t) == ["true", "false"])
        #expect(try column("B > 9 or C == \"\"", csv: Self.t) == ["true", "true"])
        #expect(try column("C & \"-\" & B", csv: Self.t) == ["x-10", "-9"])
        #expect(try column("C ?? \"blank\"", csv: Self.t) == ["x", "blank"])
        #expect(try column("B + 1", csv: Self.t) == ["11", "10"])
        #expect(try column("B * 2 - 1", csv: Self.t) == ["19", "17"])
        #expect(try column("B / 4", csv: Self.t) == ["2.5", "2.25"])
    }

    @Test func membershipLikeAndPatterns() throws {
        #expect(try column("B in [\"9\", \"8\"]", csv: Self.t) == ["false", "true"])
        #expect(try column("B not in [\"9\"]", csv: Self.t) == ["true", "false"])
        #expect(try column("C like \"X*\"", csv: Self.t) == ["true", "false"])
        #expect(try column("A ~ \"^\\d{8}$\"", csv: Self.t) == ["true", "false"])
    }

    /// `and` runs a pattern on its right only on the rows its left keeps: the same truth as running
    /// both sides on every row, and a bad pattern or column on the right is still an error.
    @Test func patternsAfterAndAgreeWithBothSidesEverywhere() throws {
        var rng = Rng(state: 31)
        for _ in 0..<100 {
            var csv = "R,O\n"
            for _ in 0..<Int(1 + rng.next() % 20) {
                csv += rng.pick(["TA", "STC", "DTC", ""]) + "," + rng.pick(["00050000", "00050000-00055555", "a|00050000", "x", ""]) + "\n"
            }
            let left = try column("R == \"TA\" or R == \"STC\"", csv: csv)
            for pattern in ["(^|\\|)\\d{8}(\\||$)", "\\d{8}-\\d{8}", "^[a-z]+$"] {
                let right = try column("O ~ \"\(pattern)\"", csv: csv)
                let want = zip(left, right).map { $0 == "true" && $1 == "true" ? "true" : "false" }
                #expect(try column("(R == \"TA\" or R == \"STC\") and O ~ \"\(pattern)\"", csv: csv) == want, "\(csv)")
            }
        }
        #expect(runtimeError("r = t | where A == \"x\" and B ~ \"(\"", csv: Self.t) != nil)
        #expect(runtimeError("r = t | where A == \"none\" and Nope ~ \"a\"", csv: Self.t) != nil)
    }

    @Test func dataErrorsNameTheFileAndLine() {
        let d = runtimeError("r = t | set x = C + 1", csv: Self.t)
        #expect(d?.message == "'x' is not a number")
        #expect(d?.data?.path == "t.csv")
        #expect(d?.data?.line == 2)
        #expect(d?.data?.field == "C")
        let text = DiagnosticRenderer(useColor: false).render(d!.located(in: SourceFile(name: "test", text: "r = t | set x = C + 1")))
        #expect(text.contains("= in t.csv:2, column 'C'"))
    }

    @Test func misspelledNamesGetSuggestions() {
        #expect(runtimeError("r = t | where Bb == 1")?.hints == ["did you mean 'B'?"])
        #expect(runtimeError("r = tt | head 1")?.hints.first == "did you mean 't'?")
        #expect(runtimeError("let x = 1\nprint $y")?.message == "no value named $y")
        #expect(runtimeError("r = t | where A == t.A")?.message.contains("use 'in'") == true)
    }

    @Test func messagesNeverShowPasswords() {
        let d = runtimeError("r = t | set x = user_password + 1", csv: "user_password\nS3cret!\n")
        #expect(d != nil && !d!.message.contains("S3cret"))
        #expect(d?.message == "'••••••' is not a number")
    }

    @Test func scriptsInOtherEncodings() {
        // A BOM, and an en dash saved as Windows-1252 (0x96).
        let bom = SourceFile(name: "r", bytes: [0xEF, 0xBB, 0xBF] + Array("let x = 1".utf8))
        #expect(bom.text == "let x = 1")
        let ansi = SourceFile(name: "r", bytes: Array("let r = \"Educator ".utf8) + [0x96] + Array(" Roster\"".utf8))
        #expect(ansi.text == "let r = \"Educator – Roster\"")
    }

    @Test func divisionByZeroIsAnError() {
        #expect(runtimeError("r = t | set x = B / 0")?.message == "division by zero")
    }
}
