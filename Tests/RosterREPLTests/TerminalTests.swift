import Foundation
import Testing
@testable import RosterDiagnostics
@testable import RosterData
@testable import RosterLanguage
@testable import RosterPortal
@testable import RosterVerbs
@testable import RosterSession

/// The REPL in a real terminal: tmux types the keys and reads the screen. Every wait polls the
/// screen until the text appears (or gives up after a generous limit); nothing is timed.
@Suite("In a real terminal (tmux)", .serialized)
struct TerminalTests {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
    static let binary = root + "/.build/debug/roster"

    let socket = "roster-test-\(UUID().uuidString.prefix(8))"

    /// Runs a tmux command through the shell (`system` waits with waitpid; Foundation's Process
    /// would wait for ever on the tmux server it starts, which keeps its descriptors). Output is
    /// read from a file.
    @discardableResult
    func tmux(_ args: [String]) -> String { run(args).output }

    func run(_ args: [String]) -> (output: String, status: Int32) {
        let out = NSTemporaryDirectory() + "roster-tmux-out-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: out) }
        let command = (["tmux", "-L", socket] + args).map(Self.quote).joined(separator: " ") + " > \(Self.quote(out)) 2>/dev/null < /dev/null"
        let status = system(command)
        return ((try? String(contentsOfFile: out, encoding: .utf8)) ?? "", status)
    }

    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    func screen(_ s: String) -> String { tmux(["capture-pane", "-t", s, "-p"]) }

    /// Waits until the screen shows `text`; records an issue with the screen if it never does.
    @discardableResult
    func waitFor(_ text: String, in s: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        for _ in 0..<200 {
            if screen(s).contains(text) { return true }
            usleep(50_000)
        }
        Issue.record("the screen never showed \(text.debugDescription):\n\(screen(s))", sourceLocation: sourceLocation)
        return false
    }

    func start(_ name: String, in dir: String) {
        tmux([
            "new-session", "-d", "-s", name, "-x", "120", "-y", "40", "-c", dir,
            "env ROSTER_HISTORY=\(dir)/history TERM=xterm \(Self.binary)",
        ])
        waitFor("roster>", in: name)
    }

    func send(_ s: String, _ keys: String...) { tmux(["send-keys", "-t", s] + keys) }

    func typeLine(_ s: String, _ text: String) { tmux(["send-keys", "-t", s, "-l", text]); send(s, "Enter") }

    @Test func aSessionAtTheKeyboard() throws {
        try #require(system("tmux -V > /dev/null 2>&1") == 0, "tmux is needed (Scripts/ensure-deps.sh installs it)")
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build first: swift build")

        let dir = NSTemporaryDirectory() + "roster-tmux-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "First name,Last name,E-mail address,Role\nAna,Lee,ana@x.org,TA\nBo,Smith,bo@x.org,STC\nZoë,Núñez,zoe@x.org,TA\n"
            .write(toFile: dir + "/users.csv", atomically: true, encoding: .utf8)
        defer { tmux(["kill-server"]) }

        let s = "one"
        start(s, in: dir)
        typeLine(s, ":record session.roster")
        waitFor("recording to", in: s)
        typeLine(s, "users = load \"users.csv\"")
        waitFor("users: 3 rows × 4 columns", in: s)

        // Tab completes a column name with spaces (in backticks); the pipeline goes on over two lines.
        tmux(["send-keys", "-t", s, "-l", "ta = users | where `E-m"])
        send(s, "Tab")
        waitFor("ta = users | where `E-mail address`", in: s)
        tmux(["send-keys", "-t", s, "-l", " != \"\" |"])
        send(s, "Enter")
        waitFor("   ...>", in: s)
        typeLine(s, "  where Role == \"TA\" | set Name = upper(`First name`)")
        waitFor("ta: 2 rows × 5 columns", in: s)

        // Ctrl-C drops the line being typed; the session goes on with its tables.
        tmux(["send-keys", "-t", s, "-l", "this line is dropped"])
        send(s, "C-c")
        waitFor("^C", in: s)
        typeLine(s, ":tables")
        waitFor("users: 3 rows × 4 columns\nroster>", in: s)
        #expect(!screen(s).contains("error"))

        // Accented letters are typed and edited as letters (Left moves over "ë" as one).
        tmux(["send-keys", "-t", s, "-l", "users | where `First name` == \"Zo\""])
        send(s, "Left")
        tmux(["send-keys", "-t", s, "-l", "ë"])
        send(s, "Enter")
        waitFor("Zoë         Núñez", in: s)

        typeLine(s, ":record off")
        waitFor("stopped recording", in: s)
        typeLine(s, "ta | save \"from-repl.csv\"")
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: dir + "/from-repl.csv") { usleep(50_000) }
        typeLine(s, ":quit")
        for _ in 0..<100 where tmuxHasSession(s) { usleep(50_000) }

        // After a restart, Up brings back the last line of the last session.
        let t = "two"
        start(t, in: dir)
        send(t, "Up")
        waitFor("roster> ta | save \"from-repl.csv\"", in: t)
        send(t, "C-u")
        // Ctrl-D on an empty line leaves.
        send(t, "C-d")
        for _ in 0..<100 where tmuxHasSession(t) { usleep(50_000) }
        #expect(!tmuxHasSession(t))

        // The recording, run as a recipe, rebuilds the same table byte for byte.
        let run = Process()
        run.executableURL = URL(fileURLWithPath: Self.binary)
        run.currentDirectoryURL = URL(fileURLWithPath: dir)
        run.arguments = ["-q", "-c", "include \"session.roster\"\nta | save \"from-recipe.csv\""]
        try run.run()
        run.waitUntilExit()
        #expect(run.terminationStatus == 0)
        let a = FileManager.default.contents(atPath: dir + "/from-repl.csv")
        let b = FileManager.default.contents(atPath: dir + "/from-recipe.csv")
        #expect(a != nil && a == b)
        let recipe = (try? String(contentsOfFile: dir + "/session.roster", encoding: .utf8)) ?? ""
        #expect(recipe.contains("`E-mail address` != \"\" |\n  where Role == \"TA\""))
        #expect(!recipe.contains("dropped"))
    }

    /// Two REPL windows at once keep each other's history: each adds its lines to the file as it is
    /// then, so neither erases the other's when it writes or leaves.
    @Test func twoWindowsKeepEachOthersHistory() throws {
        try #require(system("tmux -V > /dev/null 2>&1") == 0, "tmux is needed (Scripts/ensure-deps.sh installs it)")
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build first: swift build")
        let dir = NSTemporaryDirectory() + "roster-tmux-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer {
            for w in ["left", "right", "third"] where tmuxHasSession(w) { tmux(["kill-session", "-t", w]) }
        }
        start("left", in: dir)
        start("right", in: dir)
        typeLine("left", "print \"one\"")
        waitFor("one\nroster>", in: "left")
        typeLine("right", "print \"two\"")
        waitFor("two\nroster>", in: "right")
        typeLine("left", "print \"three\"")
        waitFor("three\nroster>", in: "left")
        typeLine("right", ":quit")
        typeLine("left", ":quit")
        for _ in 0..<100 where tmuxHasSession("left") || tmuxHasSession("right") { usleep(50_000) }
        start("third", in: dir)
        send("third", "Up")
        waitFor("roster> print \"three\"", in: "third")
        send("third", "Up")
        waitFor("roster> print \"two\"", in: "third")
        send("third", "Up")
        waitFor("roster> print \"one\"", in: "third")
        send("third", "C-u")
        send("third", "C-d")
    }

    func tmuxHasSession(_ s: String) -> Bool { run(["has-session", "-t", s]).status == 0 }

    /// A `show` taller than the terminal goes through $PAGER; a short one is printed as it is.
    @Test func longPreviewsGoThroughThePager() throws {
        try #require(system("tmux -V > /dev/null 2>&1") == 0, "tmux is needed (Scripts/ensure-deps.sh installs it)")
        let dir = NSTemporaryDirectory() + "roster-tmux-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try ("n\n" + (1...60).map { "\($0)\n" }.joined()).write(toFile: dir + "/n.csv", atomically: true, encoding: .utf8)
        defer { tmux(["kill-server"]) }
        let s = "pager"
        tmux([
            "new-session", "-d", "-s", s, "-x", "100", "-y", "30", "-c", dir,
            "env ROSTER_HISTORY=\(dir)/history TERM=xterm PAGER='sed s/^/PAGED:/' \(Self.binary)",
        ])
        waitFor("roster>", in: s)
        typeLine(s, "n = load \"n.csv\" | show 50")
        waitFor("PAGED:50", in: s)
        typeLine(s, "n | head 3 | show")
        waitFor("3 rows × 1 column", in: s)
        #expect(!screen(s).contains("PAGED:3 rows"))
    }
}
