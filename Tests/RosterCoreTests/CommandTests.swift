import Foundation
import Testing
@testable import RosterDiagnostics
@testable import RosterData
@testable import RosterLanguage
@testable import RosterPortal
@testable import RosterVerbs
@testable import RosterSession

/// The `roster` executable itself: arguments, standard input, exit statuses. `swift build` (which the
/// test script runs first) puts it in .build/debug.
@Suite("The roster command")
struct CommandTests {
    static let binary = rosterBinary

    func run(_ args: [String], stdin: String? = nil, in folder: String? = nil, env: [String: String] = [:]) throws -> RunResult {
        try runBinary(args, stdin: stdin, in: folder, env: env)
    }

    @Test func theBinaryIsBuilt() {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary), "build first: swift build")
    }

    @Test func commandLineStatements() throws {
        let r = try run(["-c", "let x = 2\nprint $x * 21"])
        #expect(r.stdout == "42\n")
        #expect(r.status == 0)
    }

    /// A plain recipe or -c run skips the argument parser; `roster run …` always takes it. The two
    /// must behave alike: the same output, messages and exit status.
    @Test func theFastPathAgreesWithTheParser() throws {
        let dir = temporaryFolder()
        writeFile(dir + "/u.csv", "Email,Role\na@x,TA\nb@x,STC\n")
        writeFile(dir + "/r.roster", "param who = \"TA\"\nload \"u.csv\" | where Role == who | show\n")
        let cases: [[String]] = [
            ["-c", "load \"u.csv\" | count by Role | show"], ["-q", "-c", "print 1 +"], ["r.roster"], ["r.roster", "--param", "who=STC", "-q"],
            ["--param", "who", "r.roster"], ["--timings", "--dry-run", "--no-color", "-c", "load \"u.csv\" | save \"v.csv\""], ["u.csv"],
            ["missing.roster"], ["-c", "assert 1 == 2"],
        ]
        for args in cases {
            let fast = try run(args, in: dir)
            let parsed = try run(["run"] + args, in: dir)
            let timing = #/\d+ ms|\d+ MiB/#
            #expect(fast.status == parsed.status, "\(args)")
            #expect(fast.stdout == parsed.stdout, "\(args)")
            #expect(fast.stderr.replacing(timing, with: "") == parsed.stderr.replacing(timing, with: ""), "\(args)")
        }
    }

    @Test func scriptOnStandardInput() throws {
        let dir = temporaryFolder()
        writeFile(dir + "/u.csv", "Email,Role\na@x,TA\nb@x,STC\n")
        let r = try run([], stdin: "load \"u.csv\" | count by Role | show\n", in: dir)
        #expect(r.stdout.contains("TA    1"))
        #expect(r.status == 0)
    }

    @Test func recipeFileWithParamsAndRelativePaths() throws {
        let dir = temporaryFolder()
        try FileManager.default.createDirectory(atPath: dir + "/recipe", withIntermediateDirectories: true)
        writeFile(dir + "/recipe/a.csv", "n\n1\n")
        writeFile(dir + "/recipe/b.csv", "n\n1\n2\n")
        writeFile(dir + "/recipe/r.roster", "param input = \"a.csv\"\nprint \"ok\"\nt = load $input\nprint rows(t)\n")
        // Run from another folder: the recipe's paths resolve against its own folder.
        let a = try run(["recipe/r.roster"], in: dir)
        #expect(a.stdout == "ok\n1\n")
        let b = try run(["recipe/r.roster", "--param", "input=b.csv", "-q"], in: dir)
        #expect(b.stdout == "ok\n2\n")
        #expect(b.stderr == "")
    }

    @Test func theREPLOverPlainLines() throws {
        let dir = temporaryFolder()
        writeFile(dir + "/u.csv", "Email,Role\na@x,TA\nb@x,STC\n")
        let r = try run(["--repl", "-q"], stdin: "users = load \"u.csv\"\nusers | where Rol == 1\nta = users |\n  where Role == \"TA\"\n:tables\n", in: dir)
        #expect(r.stdout == "users: 2 rows × 2 columns\nta: 1 row × 2 columns\nta: 1 row × 2 columns\nusers: 2 rows × 2 columns\n")
        #expect(r.stderr.contains("error: no column 'Rol'"))  // and the session went on
        #expect(!r.stdout.contains("roster>") && !r.stdout.contains("\u{1B}["))
        #expect(r.status == 0)
    }

    @Test func exitStatuses() throws {
        #expect(try run(["-c", "let x = "]).status == 2)  // syntax
        #expect(try run(["-c", "x = nothing | head 1"]).status == 1)  // runtime
        #expect(try run(["-c", "assert 1 == 2, \"no\""]).status == 1)  // assert
        #expect(try run(["-c", "print 1", "--param", "novalue"]).status == 2)  // usage
        #expect(try run(["--no-such-flag"]).status == 2)  // usage
        #expect(try run(["/no/such/recipe.roster"]).status == 2)
        let help = try run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("EXAMPLES"))
    }

    @Test func messagesGoToStandardErrorWithoutColourWhenPiped() throws {
        let r = try run(["-c", "x = t | wher A"])
        #expect(r.stdout == "")
        #expect(r.stderr.contains("-c:1:9: error: unknown verb 'wher'"))
        #expect(!r.stderr.contains("\u{1B}["))
    }

    @Test func aDryRunWritesNothing() throws {
        let dir = temporaryFolder()
        writeFile(dir + "/u.csv", "Email,Role\na@x,TA\n")
        writeFile(dir + "/r.roster", "u = load \"u.csv\"\nu | save \"out/copy.csv\"\nu | save \"out/part.csv\" chunk 1\n")
        let r = try run(["r.roster", "--dry-run", "-q"], in: dir)
        #expect(r.status == 0)
        #expect(r.stdout == "dry run: would write out/copy.csv: 1 row × 2 columns, 18 bytes\ndry run: would write out/part.csv: 1 row × 2 columns, 18 bytes\n")
        #expect(!FileManager.default.fileExists(atPath: dir + "/out"))
    }

    /// `save "/dev/stdout"` writes to the descriptor: appended to a log opened with `>>`, the earlier
    /// lines stay (a rename over the file the descriptor points to would lose them); into a pipe it
    /// works as `save "-"` does.
    @Test func savingToStandardOutputAppendsToALog() throws {
        let dir = temporaryFolder()
        writeFile(dir + "/t.csv", "a,b\n1,2\n")
        writeFile(dir + "/run.log", "earlier line\n")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "'\(rosterBinary)' -q -c 'load \"t.csv\" | save \"/dev/stdout\"' >> run.log"]
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect(readText(dir + "/run.log") == "earlier line\na,b\n1,2\n")
        let piped = try run(["-q", "-c", "load \"t.csv\" | save \"/dev/stdout\""], in: dir)
        #expect(piped.status == 0 && piped.stdout == "a,b\n1,2\n")
    }

    /// `check --format csv` says, as a save does, when the report holds cells a spreadsheet would run.
    @Test func checkAsCSVWarnsOfFormulas() throws {
        let dir = temporaryFolder()
        writeFile(dir + "/f.csv", "Username,Fname,Lname,Email,Role,Org,Program,Phone,Fax,Address\n=cmd|x,Ann,Lee,a@x.org,TA,00050000,,,,\n")
        let r = try run(["check", "f.csv", "--as", "mcas", "--format", "csv"], in: dir)
        #expect(r.stderr.contains("1 cell of the report begins with =, +, -, @ or a tab"))
    }

    @Test func checkFromTheShell() throws {
        let dir = temporaryFolder()
        writeFile(dir + "/ok.csv", "Username,Fname,Lname,Email,Role,Org,Program,Phone,Fax,Address\nana@x.org,Ana,Lee,ana@x.org,DTC,00050000,,,,\n")
        writeFile(dir + "/bad.csv", "Username,Fname,Lname,Email,Role,Org,Program,Phone,Fax,Address\nana@x.org,Ana,Lee,ana@x.org,IT,00050000,,,,\n")
        writeFile(dir + "/plain.csv", "a,b\n1,2\n")
        let ok = try run(["check", "ok.csv", "-q"], in: dir)
        #expect(
            ok.status == 0
                && ok.stdout
                    == "check ok.csv as mcas: 1 row checked, none would be rejected\n  not checked (no deactivated given): Username — User exists with same username\n  not checked (no orgs given): Org — Invalid organization number\n"
        )
        let bad = try run(["check", "bad.csv", "--as", "mcas", "-q"], in: dir)
        #expect(bad.status == 1 && bad.stdout.contains("Invalid role — 1 row: 2"))
        #expect(try run(["check", "plain.csv"], in: dir).status == 2)
        let misspelled = try run(["check", "ok.csv", "--as", "mcsa"], in: dir)
        #expect(misspelled.status == 2 && misspelled.stderr.contains("did you mean 'mcas'?"))  // a swapped pair is one edit
    }

    /// The MCAS guide's file rules are findings of `check` (exit status 1): more than 200 records in
    /// a file, and a file that is not .csv (with the portal's own message).
    @Test func checkFindsWhatThePortalRefusesAsAFile() throws {
        let dir = temporaryFolder()
        let header = "Username,Fname,Lname,Email,Role,Org,Program,Phone,Fax,Address\n"
        let rows = (1...201).map { "user\($0)@x.org,Ann,Lee,user\($0)@x.org,TA,00050000-00055555,,,,\n" }.joined()
        writeFile(dir + "/big.csv", header + rows)
        let big = try run(["check", "big.csv", "-q"], in: dir)
        #expect(big.status == 1)
        #expect(big.stdout.contains("201 rows: mcas takes at most 200 records a file"))
        writeFile(dir + "/users.txt", header + "ann@x.org,Ann,Lee,ann@x.org,TA,00050000-00055555,,,,\n")
        let txt = try run(["check", "users.txt", "--as", "mcas", "-q"], in: dir)
        #expect(txt.status == 1)
        #expect(txt.stdout.contains("The uploaded file is not in the expected .CSV format. Please update the file and try again."))
        // TOMS: the template's column order.
        writeFile(
            dir + "/toms.csv",
            "Last name,First name,CDS code,E-mail address,Telephone number,Role in organization\nLee,Ann,01611920130229,ann@x.org,,Test Administrator\n")
        let toms = try run(["check", "toms.csv", "-q"], in: dir)
        #expect(toms.status == 1 && toms.stdout.contains("columns out of the portal's order"))
    }

    @Test func anUnknownParamIsAUsageError() throws {
        let dir = temporaryFolder()
        writeFile(dir + "/r.roster", "param past = \"a.csv\"\n")
        let r = try run(["r.roster", "--param", "pasts=b.csv"], in: dir)
        #expect(r.status == 2)
        #expect(r.stderr.contains("did you mean 'past'?"))
    }
}

@Suite("Safe writes")
struct SafeWriteTests {
    @Test func aCancelledSaveLeavesNoFileAndNoTemporaryFile() throws {
        let dir = temporaryFolder()
        writeFile(dir + "/keep.csv", "old\n")
        #expect(throws: Diagnostic.self) {
            try Files.write(Array(repeating: 65, count: 10 << 20), to: dir + "/keep.csv", isCancelled: { true })
        }
        #expect(readText(dir + "/keep.csv") == "old\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["keep.csv"])
    }

    @Test func aFailedSaveLeavesNothing() {
        #expect(throws: Diagnostic.self) { try Files.write([1, 2, 3], to: "/no/such/folder/x.csv") }
    }

    @Test func aWindows1252SaveOfAnUnwritableCharacterWritesNothing() {
        let dir = temporaryFolder()
        writeFile(dir + "/a.csv", "Name\nNguyễn\n")
        let r2 = runScript("t = load \"a.csv\"\nt | save \"out.csv\" encoding=\"windows-1252\"\n", in: dir)
        #expect(r2.status == 1)
        #expect(r2.stderr.contains("cannot be written in Windows-1252"))
        #expect(readFile(dir + "/out.csv") == nil)
    }

    @Test func versionAndCompletions() throws {
        let v = try runBinary(["--version"])
        #expect(v.status == 0 && v.stdout.hasPrefix("roster "))
        let bash = try runBinary(["--generate-completion-script", "bash"])
        #expect(bash.status == 0)
        #expect(bash.stdout.contains("roster") && bash.stdout.contains("mcas") && bash.stdout.contains("check"))
    }

    /// A data file given where a recipe belongs says what to type instead.
    @Test func aDataFileGivenAsARecipeSaysWhatToType() throws {
        let r = try runBinary(["users.csv"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("users.csv is a data file, not a recipe"))
        #expect(r.stderr.contains("roster check users.csv"))
    }
}

/// Machine-readable reports (`--format json|csv`) and the small conventions of issue-free shell use.
@Suite("Reports for programs")
struct MachineReportTests {
    static let header = "Username,Fname,Lname,Email,Role,Org,Program,Phone,Fax,Address\n"

    @Test func checkAsJSONAndCSV() throws {
        let dir = temporaryFolder()
        writeFile(dir + "/u.csv", Self.header + "ann@x.org,Ann,Lee,ann@x.org,XX,00050000,,,,\nbo@x.org,Bo,Cho,bo@x.org,TA,00050000-00055555,,,,\n")
        let json = try runBinary(["check", "u.csv", "--format", "json", "-q"], in: dir)
        #expect(json.status == 1)
        let j = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        #expect(j["rows"] as? Int == 2 && j["rejected"] as? Int == 1 && j["accepted"] as? Int == 1 && j["format"] as? String == "mcas")
        let problems = j["problems"] as! [[String: Any]]
        #expect(problems.count == 1)
        #expect(problems[0]["row"] as? Int == 2 && problems[0]["id"] as? String == "rule:Role" && problems[0]["message"] as? String == "Invalid role")
        #expect(problems[0]["columns"] as? [String] == ["Role"] && problems[0]["value"] as? String == "XX")
        let csv = try runBinary(["check", "u.csv", "--format", "csv", "-q"], in: dir)
        #expect(csv.status == 1)
        #expect(
            csv.stdout == Self.header.dropLast()
                + ",Notes\nann@x.org,Ann,Lee,ann@x.org,XX,00050000,,,,,Invalid role\nbo@x.org,Bo,Cho,bo@x.org,TA,00050000-00055555,,,,,\n")
    }

    @Test func planAsJSON() throws {
        let dir = temporaryFolder()
        writeFile(dir + "/c.csv", Self.header + "ann@x.org,Ann,Lee,ann@x.org,TA,00050000-00055555,,,,\n")
        writeFile(dir + "/u.csv", Self.header + "ann@x.org,Ann,Lee,ann@x.org,STC,00050000-00055555,,,,\nbo@x.org,Bo,Cho,bo@x.org,TA,00050000-00055555,,,,\n")
        let r = try runBinary(["-q", "--format", "json", "-c", "c = load \"c.csv\"\nu = load \"u.csv\"\nplan u against c as mcas"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let j = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(j["counts"] as? [String: Int] == ["Create": 1, "Update": 1])
        let uploads = j["uploads"] as! [[String: Any]]
        #expect(uploads.map { $0["name"] as? String } == ["Add New Users", "Update Existing Users"])
        #expect((uploads[0]["summary"] as? [String: Int])?["Number of Users Created"] == 1)
        #expect(uploads[1]["popup"] as? String == "The uploaded file has been processed and 1 user(s) have been successfully uploaded.")
        let users = j["users"] as! [[String: Any]]
        #expect(users[0]["row"] as? Int == 2 && users[0]["plan"] as? String == "Update" && users[0]["reason"] as? String == "changes Role (TA → STC)")
    }

    @Test func codesSortAsTextAndLongNumbersCompareExactly() throws {
        let codes = "c\n00050000-00055555\n01611920000000\n00050000\n00050001\n"
        #expect(try rows("r = t | sort c", ["t": codes]) == [["c"], ["00050000"], ["00050000-00055555"], ["00050001"], ["01611920000000"]])
        let numbers = "n\n10\n9\n\n100\n"
        #expect(try rows("r = t | sort n", ["t": numbers]) == [["n"], ["9"], ["10"], ["100"], [""]])
        let long = "n\n12345678901234567891\n12345678901234567890\n"
        #expect(try rows("r = t | sort n", ["t": long]) == [["n"], ["12345678901234567890"], ["12345678901234567891"]])
        let pair = "a,b\n12345678901234567890,12345678901234567891\n"
        #expect(try rows("r = t | select lt = a < b, eq = a == b, gt = a > 5", ["t": pair]) == [["lt", "eq", "gt"], ["true", "false", "true"]])
        #expect(parseError("print 12345678901234567890 < 1")?.hints.first?.contains("write it in quotes") == true)
    }

    @Test func theProgressLineIsClearedBeforeAMessage() throws {
        final class Log: @unchecked Sendable { var lines: [String] = [] }
        let log = Log()
        let sink = BufferSink()
        let s = Session(output: sink)
        s.progressLine = { log.lines.append($0 == "" ? "<clear>" : $0) }
        s.report(Diagnostic(.warning("something"), severity: .warning))
        #expect(log.lines == ["<clear>"])
        #expect(sink.stderr.contains("something"))
    }
}
