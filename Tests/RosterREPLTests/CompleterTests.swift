import Testing
@testable import RosterREPL
@testable import RosterDiagnostics
@testable import RosterData
@testable import RosterLanguage
@testable import RosterPortal
@testable import RosterVerbs
@testable import RosterSession

@Suite("Completion")
struct CompleterTests {
    static var context: CompletionContext {
        var c = CompletionContext()
        c.tables = ["users": ["Email", "Role", "E-mail address", "CDS code"], "hr": ["email", "title"]]
        c.values = ["past", "roles"]
        c.formats = ["csv", "mcas", "toms"]
        c.listFiles = { dir in dir == "" ? ["data/", "users.csv", "users-2024.csv", ".hidden"] : (dir == "data/" ? ["hr.csv"] : []) }
        return c
    }

    func complete(_ line: String, _ cursor: Int? = nil) -> Completion {
        Completer.complete(line, cursor: cursor ?? line.count, Self.context)
    }

    @Test func verbsAfterABar() {
        #expect(complete("users | wh") == Completion(start: 8, candidates: ["where"]))
        #expect(complete("users | ").candidates.contains("collapse"))
        #expect(complete("users | left j").candidates == ["join"])
    }

    @Test func columnsOfThePipedTableWithBackticksWhereNeeded() {
        #expect(complete("users | where Em") == Completion(start: 14, candidates: ["Email"]))
        #expect(complete("users | where E").candidates == ["`E-mail address`", "Email", "endswith("])
        #expect(complete("users | where `E-m") == Completion(start: 14, candidates: ["`E-mail address`"]))
        #expect(complete("users | select `cds").candidates == ["`CDS code`"])
    }

    @Test func columnsAddedEarlierInTheLine() {
        #expect(complete("users | set Upload = 1 | where Up").candidates.contains("Upload"))
        #expect(complete("users | rename Role as Job | sort J").candidates.contains("Job"))
    }

    @Test func tablesValuesFunctionsAndOtherTablesColumns() {
        #expect(complete("x = us").candidates == ["users"])
        #expect(complete("x = ").candidates.contains("load"))
        #expect(complete("users | map Role using $r").candidates == ["$roles"])
        #expect(complete("users | where Email in hr.em") == Completion(start: 26, candidates: ["email"]))
        #expect(complete("users | where low").candidates == ["lower("])
        #expect(complete("users | join h").candidates == ["hr"])
        #expect(complete("let x = $p").candidates == ["$past"])
        #expect(complete("pri").candidates == ["print"])
    }

    @Test func formatsAfterAsInLoadAndSave() {
        #expect(complete("x = load \"a.csv\" as m").candidates == ["mcas"])
        #expect(complete("users | save \"out.csv\" as t").candidates == ["toms"])
        #expect(complete("users | select Role as J").candidates == [])
    }

    @Test func filePathsInsideLoadAndSave() {
        #expect(complete("x = load \"us") == Completion(start: 10, candidates: ["users-2024.csv", "users.csv"]))
        #expect(complete("x = load \"data/") == Completion(start: 10, candidates: ["data/hr.csv"]))
        #expect(complete("x = load \"").candidates == ["data/", "users-2024.csv", "users.csv"])
        #expect(complete("print \"us").candidates == [])
    }

    @Test func metaCommandsAndTheirArguments() {
        #expect(complete(":co") == Completion(start: 0, candidates: [":columns"]))
        #expect(complete(":columns u") == Completion(start: 9, candidates: ["users"]))
        #expect(complete(":help coll").candidates == ["collapse"])
        #expect(complete(":record us").candidates.contains("users.csv"))
    }

    @Test func theCursorNeedNotBeAtTheEnd() {
        #expect(complete("users | wh | head 1", 10) == Completion(start: 8, candidates: ["where"]))
    }

    @Test func commonPrefix() {
        #expect(Completion(start: 0, candidates: ["users", "users-2024"]).commonPrefix == "users")
    }
}

@Suite("Input and meta-commands")
struct InputTests {
    @Test func statementsContinueWhileOpen() {
        #expect(InputAssembler.needsMore("x = t |"))
        #expect(InputAssembler.needsMore("x = t | where f(a,"))
        #expect(InputAssembler.needsMore("let m = {\"a\": 1,"))
        #expect(InputAssembler.needsMore("print \"two\nlines"))
        #expect(!InputAssembler.needsMore("x = t | where A == \"|\""))
        #expect(!InputAssembler.needsMore("x = t # a comment |"))
        #expect(!InputAssembler.needsMore("x = t | where `a|`"))
        var a = InputAssembler()
        #expect(a.add("x = t |") == nil)
        #expect(a.isContinuing)
        #expect(a.add("  head 2") == "x = t |\n  head 2")
        #expect(!a.isContinuing)
    }

    @Test func historyLinesJoinWithoutComments() {
        #expect(InputAssembler.historyLine("x = t |   # keep\n  head 2") == "x = t | head 2")
        #expect(InputAssembler.historyLine("print \"a\nb\"") == nil)
        #expect(InputAssembler.historyLine("x = t | where A == \"#1\"") == "x = t | where A == \"#1\"")
    }

    @Test func theMetaCommandTableDrivesHelpAndCompletion() {
        #expect(MetaCommands.names == ["help", "tables", "columns", "formats", "record", "undo", "redo", "quit"])
        for m in MetaCommands.all {
            #expect(!m.summary.isEmpty && m.example.hasPrefix(":" + m.name), "\(m.name)")
            #expect(ReplRenderer().help(":" + m.name).contains(m.summary))
            #expect(Completer.complete(":" + m.name, cursor: m.name.count + 1, CompletionContext()).candidates.contains(":" + m.name))
        }
        #expect(MetaCommands.command(named: "q")?.kind == .quit)
        for v in VerbRegistry.standard.descriptors where !v.name.contains(" ") { #expect(ReplRenderer().help(v.name).contains(v.summary)) }
        for f in FunctionRegistry.standard.functions { #expect(ReplRenderer().help(f.name).contains(f.summary)) }
        #expect(ReplRenderer().help("colapse") == "no help for 'colapse'; did you mean 'collapse'?\n")
    }

    /// Formats after every `as` that names one and after `convert to`; a load's and a save's options
    /// after their file, and an option's values after `=`.
    @Test func formatsOptionsAndValues() {
        func complete(_ line: String) -> Completion { Completer.complete(line, cursor: line.count, CompleterTests.context) }
        #expect(complete("u = users | validate as m").candidates == ["mcas"])
        #expect(complete("u = users | fix as t").candidates == ["toms"])
        #expect(complete("u = users | convert to m").candidates == ["mcas"])
        #expect(complete("check users as ").candidates == ["csv", "mcas", "toms"])
        #expect(complete("u = users | plan against hr as t").candidates == ["toms"])
        #expect(complete("u = users | select Email as E").candidates == [])
        #expect(complete("u = load \"users.csv\" sh").candidates == ["sheet="])
        #expect(complete("u = load \"users.csv\" ").candidates.contains("delimiter="))
        #expect(complete("users | save \"out.xlsx\" pass").candidates == ["passwords="])
        #expect(complete("users | save \"out.csv\" newline=").candidates == ["\"cr\"", "\"crlf\"", "\"lf\""])
        #expect(complete(":help pl").candidates.contains("plan"))
    }

    @Test func sheetNamesAfterSheetEquals() {
        var ctx = CompletionContext()
        ctx.sheetNames = { $0 == "staff.xlsx" ? ["HR", "Hidden lists", "Staff"] : [] }
        let line = "hr = load \"staff.xlsx\" sheet=\"h"
        #expect(Completer.complete(line, cursor: line.count, ctx).candidates == ["HR", "Hidden lists"])
        let other = "hr = load \"other.xlsx\" sheet=\""
        #expect(Completer.complete(other, cursor: other.count, ctx).candidates == [])
    }

    /// `:help FORMAT` explains a portal format: its columns, the portal's messages, what an upload does.
    @Test func helpForAFormat() {
        let text = ReplRenderer().help("pass")
        #expect(text.contains("format pass — Securly Pass user CSV"))
        #expect(text.contains("columns: firstname, lastname, email, role, gradyear, status, idnumber"))
        #expect(text.contains("users the file leaves out: not in the file: Pass archives users missing from a full upload"))
        #expect(MetaCommands.helpTopics.contains("tao"))
    }

    /// `:help FORMAT` for a format written from a vendor's guide names its documents and the rules it
    /// does not model; every format of the portals next door names at least one source.
    @Test func helpForAFormatNamesItsSources() {
        let text = ReplRenderer().help("tide_tx")
        #expect(text.contains("sources:\n    TIDE User Guide (Texas)"))
        #expect(text.contains("not modelled:\n    Campus ID 'be associated with the district'"))
        #expect(text.contains("messages: roster's words: the Texas TIDE guide quotes no upload error messages"))
        for name in ["tide", "tide_tx", "tide_id", "map_users"] {
            let f = FormatRegistry.standard.format(named: name)!
            #expect(!f.sources.isEmpty && !f.notModelled.isEmpty, "\(name)")
        }
    }

    /// `:help fix` lists every repair with why it is certain.
    @Test func helpFixSaysWhyEachRepairIsCertain() {
        let text = ReplRenderer().help("fix")
        for r in Fixer.repairs { #expect(text.contains(r.repair) && text.contains(r.whyCertain)) }
    }
}
