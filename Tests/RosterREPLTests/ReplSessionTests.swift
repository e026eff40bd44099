import Foundation
import Testing
@testable import RosterREPL
@testable import RosterDiagnostics
@testable import RosterData
@testable import RosterLanguage
@testable import RosterPortal
@testable import RosterVerbs
@testable import RosterSession

func folder() -> String {
    let path = NSTemporaryDirectory() + "roster-repl-" + UUID().uuidString
    // A folder that cannot be made fails the test at its first write.
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A REPL on a buffer, working in `dir`.
func repl(in dir: String, width: Int = 80) -> (ReplSession, BufferSink) {
    let sink = BufferSink()
    let session = Session(output: sink, baseDirectory: dir)
    session.quiet = true
    return (ReplSession(session: session, output: sink, renderer: ReplRenderer(width: width)), sink)
}

@Suite("Rendering (snapshots at width 60)")
struct RendererTests {
    let r = ReplRenderer(width: 60)
    static let users = Table(
        names: ["Email", "Role", "Note"],
        rows: [
            ["ana@x.org", "TA", "a very long note that goes on and on past the cut"], ["bo@x.org", "STC", ""], ["cy@x.org", "TA", "x"],
        ])

    @Test func bindingLine() {
        #expect(r.binding("upload", Self.users) == "upload: 3 rows × 3 columns\n")
    }

    @Test func previewCutsLongCellsAndFitsTheWidth() {
        #expect(
            r.preview(Self.users, rows: 2) == """
                Email      Role  Note
                ─────────  ────  ────────────────────────────────
                ana@x.org  TA    a very long note that goes on a…
                bo@x.org   STC
                3 rows × 3 columns (first 2 shown)

                """)
        #expect(
            ReplRenderer(width: 20).preview(Self.users, rows: 1) == """
                Email      Role
                ─────────  ────
                ana@x.org  TA
                3 rows × 3 columns (first 1 shown); 1 more column not shown: Note

                """)
    }

    /// Columns line up by terminal cells: CJK names and emoji take two, combining accents none.
    @Test func widthsAreTerminalCells() {
        #expect(DisplayWidth.of("王小明") == 6 && DisplayWidth.of("Renée") == 5 && DisplayWidth.of("Rene\u{301}e") == 5)
        #expect(DisplayWidth.of("👍") == 2 && DisplayWidth.of("👩‍👩‍👧") == 2 && DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.cut("王小明王小明", 5) == "王小…" && DisplayWidth.cut("abcdef", 4) == "abc…" && DisplayWidth.cut("abc", 4) == "abc")
        let t = Table(names: ["Name", "Role"], rows: [["王小明", "TA"], ["Rene\u{301}e", "STC"], ["👍 Bo", "TA"]])
        let lines = TablePreview.render(t, width: 60).split(separator: "\n").map(String.init)
        // Every row's second column starts at the same cell: what comes before it is equally wide.
        #expect(DisplayWidth.of(String(lines[2].dropLast(2))) == DisplayWidth.of(String(lines[4].dropLast(2))))
        #expect(DisplayWidth.of(String(lines[3].dropLast(3))) == DisplayWidth.of(String(lines[2].dropLast(2))))
    }

    @Test func countsAsBars() {
        let counts = Table(names: ["Role", "count"], rows: [["TA", "8"], ["STC", "3"], ["Test Administrator & Test Examiner", "1"]])
        #expect(
            r.countChart(counts) == """
                Role                                count
                TA                                      8  █████████████████
                STC                                     3  ██████▍
                Test Administrator & Test Examiner      1  ██▏
                3 values, 12 rows in all

                """)
        #expect(ReplRenderer.bar(1, of: 8, width: 8) == "█")
        #expect(ReplRenderer.bar(1, of: 16, width: 8) == "▌")
    }

    @Test func passwordsAreMasked() {
        let t = Table(names: ["user_username", "user_password"], rows: [["ann", "S3cret!pass"]])
        #expect(!r.preview(t).contains("S3cret"))
        #expect(!r.columns("t", t).contains("S3cret"))
        #expect(!r.countChart(Table(names: ["user_password", "count"], rows: [["S3cret!pass", "1"]])).contains("S3cret"))
    }

    @Test func columnsSummary() {
        #expect(
            r.columns("users", Self.users) == """
                users: 3 rows × 3 columns
                column  blank  distinct  example
                ──────  ─────  ────────  ──────────────────────────────
                Email   0      3         ana@x.org
                Role    0      2         TA
                Note    1      3         a very long note that goes on…

                """)
    }
}

@Suite("The REPL session")
struct ReplSessionTests {
    static let csv = "Email,Role\nana@x.org,TA\nbo@x.org,STC\ncy@x.org,TA\n"

    /// A REPL working in a new folder that holds `users.csv` (`csv`).
    func replBesideUsers() throws -> (String, ReplSession, BufferSink) {
        let dir = folder()
        try Self.csv.write(toFile: dir + "/users.csv", atomically: true, encoding: .utf8)
        let (r, sink) = repl(in: dir)
        return (dir, r, sink)
    }

    @Test func bindingsPreviewsAndErrorsThatChangeNothing() throws {
        let (_, r, sink) = try replBesideUsers()
        r.feed("users = load \"users.csv\"")
        #expect(sink.stdout == "users: 3 rows × 2 columns\n")
        r.feed("users | where Role == \"TA\"")
        #expect(sink.stdout.contains("2 rows × 2 columns"))
        r.feed("users = users | where Rol == \"TA\"")
        #expect(sink.stderr.contains("<input>:1:23: error: no column 'Rol'"))
        #expect(r.session.tables["users"]!.rowCount == 3)
        r.feed("users | count by Role")
        #expect(sink.stdout.contains("TA        2  ████"))
    }

    @Test func multiLineInput() throws {
        let (_, r, sink) = try replBesideUsers()
        r.feed("ta = load \"users.csv\" |")
        #expect(r.prompt == "   ...> ")
        r.feed("  where Role == \"TA\"")
        #expect(r.prompt == "roster> ")
        #expect(sink.stdout == "ta: 2 rows × 2 columns\n")
    }

    @Test func undoRestoresTheLastBinding() throws {
        let (_, r, sink) = try replBesideUsers()
        r.feed("users = load \"users.csv\"")
        r.feed("users = users | head 1")
        r.feed("let n = 1")
        r.feed(":undo")
        #expect(r.session.values["n"] == nil)
        r.feed(":undo")
        #expect(r.session.tables["users"]!.rowCount == 3)
        r.feed(":undo")
        #expect(r.session.tables["users"] == nil)
        r.feed(":undo")
        #expect(sink.stderr.contains("nothing to undo"))
    }

    /// `:undo` and `:redo` over several steps, with a save among them; the recording stays a recipe
    /// that runs and gives the same table and file.
    @Test func undoAndRedoOverSeveralStepsKeepTheRecordingARecipe() throws {
        let (dir, r, sink) = try replBesideUsers()
        r.feed(":record steps.roster")
        r.feed("users = load \"users.csv\"")
        r.feed("ta = users | where Role == \"TA\"")
        r.feed("ta | save \"ta.csv\"")
        r.feed("one = ta | head 1")
        r.feed(":undo 3")  // one, the save, ta
        #expect(r.session.tables["ta"] == nil && r.session.tables["one"] == nil && r.session.tables["users"] != nil)
        #expect(sink.stdout.contains("undone: ta | save \"ta.csv\" (anything it wrote stays; it leaves the recording)"))
        var recipe = try String(contentsOfFile: dir + "/steps.roster", encoding: .utf8)
        #expect(!recipe.contains("ta =") && !recipe.contains("save"))
        r.feed(":redo 2")  // ta, then the save runs again
        #expect(r.session.tables["ta"]!.rowCount == 2)
        recipe = try String(contentsOfFile: dir + "/steps.roster", encoding: .utf8)
        #expect(recipe.contains("ta = users | where Role == \"TA\"\nta | save \"ta.csv\"\n"))
        r.feed(":redo")
        #expect(r.session.tables["one"]!.rowCount == 1)
        r.feed(":redo")
        #expect(sink.stderr.contains("nothing to redo"))
        // A new statement after an undo clears what could be redone.
        r.feed(":undo")
        r.feed("let x = 1")
        r.feed(":redo")
        #expect(r.session.tables["one"] == nil)
        r.feed(":record off")
        recipe = try String(contentsOfFile: dir + "/steps.roster", encoding: .utf8)
        try FileManager.default.removeItem(atPath: dir + "/ta.csv")
        let check = Session(output: BufferSink(), baseDirectory: dir)
        check.quiet = true
        try check.run(SourceFile(name: "steps.roster", text: recipe))
        #expect(check.tables.keys.sorted() == r.session.tables.keys.sorted())
        #expect(FileManager.default.fileExists(atPath: dir + "/ta.csv"))
    }

    /// A line that begins with `|` continues the statement before it, as in a pasted recipe.
    @Test func aLineBeginningWithAPipeContinues() throws {
        let (dir, r, sink) = try replBesideUsers()
        r.feed(":record pasted.roster")
        r.feed("ta = load \"users.csv\"")
        r.feed("  | where Role == \"TA\"")
        r.feed("  | head 1")
        #expect(r.session.tables["ta"]!.rowCount == 1)
        r.feed("  | wher x")  // an error: the binding stays as it was
        #expect(r.session.tables["ta"]!.rowCount == 1)
        r.feed(":record off")
        let recipe = try String(contentsOfFile: dir + "/pasted.roster", encoding: .utf8)
        #expect(recipe.hasSuffix("ta = load \"users.csv\"\n  | where Role == \"TA\"\n  | head 1\n"))
        r.feed(":undo")
        #expect(r.session.tables["ta"] == nil)  // one step: the whole statement
        let (fresh, freshSink) = repl(in: dir)
        fresh.feed("| head 1")
        #expect(freshSink.stderr.contains("there is none to continue"))
        _ = sink
    }

    /// `:record` to a folder, or to a place that cannot be written, is refused at once (not said
    /// "recording", then found to hold nothing); a second `:record` says it ends the first.
    @Test func aRecordingThatCannotBeWrittenIsRefusedAtOnce() throws {
        let (dir, r, sink) = try replBesideUsers()
        try FileManager.default.createDirectory(atPath: dir + "/recipes", withIntermediateDirectories: true)
        r.feed(":record recipes")
        #expect(sink.stderr.contains(":record: recipes is a folder"))
        r.feed(":record no-such-folder/x.roster")
        #expect(sink.stderr.contains(":record: not recording"))
        #expect(!sink.stdout.contains("recording to"))
        r.feed(":record off")
        #expect(sink.stdout.contains("not recording"))
        r.feed(":record first.roster")
        r.feed("users = load \"users.csv\"")
        r.feed(":record second.roster")
        #expect(sink.stdout.contains("stopped recording to \(dir)/first.roster (1 statement); recording to \(dir)/second.roster"))
    }

    @Test func aRecordingRebuildsTheSameTable() throws {
        let (dir, r, _) = try replBesideUsers()
        r.feed(":record rollover.roster")
        r.feed("users = load \"users.csv\"")
        r.feed("users = users | set Role = lower(Role) |")
        r.feed("  where Role != \"stc\"")
        r.feed("users = users | head 1")  // undone below: must leave the recording too
        r.feed(":undo")
        r.feed("users = users | wher x")  // an error: not recorded
        r.feed("let tag = \"2025\"")
        r.feed("users = users | set Year = $tag")
        r.feed(":record off")
        let recipe = try String(contentsOfFile: dir + "/rollover.roster", encoding: .utf8)
        #expect(!recipe.contains("head 1") && !recipe.contains("wher x"))
        // Running the recipe as a script rebuilds the same table, byte for byte.
        let sink = BufferSink()
        let s = Session(output: sink, baseDirectory: dir)
        s.quiet = true
        try s.run(SourceFile(name: "rollover.roster", text: recipe))
        let a = try CSVWriter.encode(s.tables["users"]!, dialect: CSVDialect(), path: "a")
        let b = try CSVWriter.encode(r.session.tables["users"]!, dialect: CSVDialect(), path: "b")
        #expect(a == b)
        #expect(s.tables["users"]!.names == ["Email", "Role", "Year"])
    }

    /// `:record` never replaces an existing file by itself, never one the session loaded, and says
    /// what to type instead; `:record!` is the explicit way to replace one.
    @Test func recordingNeverOverwritesByItself() throws {
        let dir = folder()
        try Self.csv.write(toFile: dir + "/users.csv", atomically: true, encoding: .utf8)
        try "# a shipped recipe\n".write(toFile: dir + "/rollover.roster", atomically: true, encoding: .utf8)
        let (r, sink) = repl(in: dir)
        r.feed(":record rollover.roster")
        #expect(sink.stderr.contains("rollover.roster already exists"))
        #expect(sink.stderr.contains(":record rollover-2.roster records to a new file, :record! rollover.roster replaces it"))
        #expect(try String(contentsOfFile: dir + "/rollover.roster", encoding: .utf8) == "# a shipped recipe\n")
        r.feed("users = load \"users.csv\"")
        r.feed(":record! users.csv")
        #expect(sink.stderr.contains("users.csv was loaded in this session"))
        #expect(try String(contentsOfFile: dir + "/users.csv", encoding: .utf8) == Self.csv)
        r.feed(":record! rollover.roster")
        r.feed("n = users | count")
        r.feed(":record off")
        #expect(try String(contentsOfFile: dir + "/rollover.roster", encoding: .utf8).contains("n = users | count"))
    }

    @Test func metaCommandErrorsSuggest() {
        let (r, sink) = repl(in: folder())
        r.feed(":tabels")
        #expect(sink.stderr == "unknown command :tabels; did you mean :tables? (:help lists them)\n")
        r.feed(":columns nope")
        #expect(sink.stderr.hasSuffix("no table named 'nope'\n"))
        r.feed(":quit")
        #expect(r.wantsToQuit)
    }
}
