import ArgumentParser
import RosterCore
import RosterREPL
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// `roster` — run a recipe, statements from `-c`, a script piped on stdin, or the interactive REPL.
struct Roster: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roster",
        abstract: "Load, check, fix and export school staff rosters for state test portals.",
        discussion: """
        EXAMPLES
          roster rollover.roster                          run a recipe
          roster rollover.roster --param past=2025.csv    run it on another year's file
          roster rollover.roster --dry-run                run it, write nothing, say what it would write
          roster -c 'load "users.csv" | count by Role | show'
          echo 'load "users.csv" | head 3 | show' | roster
          roster                                          start the interactive REPL
          roster --repl < session.txt                     drive the REPL with plain lines
          roster check upload.csv --as mcas               what the portal would reject, and why

        Results go to standard output, messages to standard error. Exit status: 0 success,
        1 a runtime or data error or a failed assert, 2 a syntax or usage error.
        """
    )

    @Argument(help: "A recipe file (.roster) to run.")
    var script: String?

    @ArgumentParser.Option(name: .customLong("param"), help: ArgumentHelp("Override a recipe's 'param NAME = …' (repeatable).", valueName: "NAME=VALUE"))
    var params: [String] = []

    @ArgumentParser.Option(name: .customShort("c"), help: ArgumentHelp("Run these statements instead of a file.", valueName: "statements"))
    var command: String?

    @Flag(name: .shortAndLong, help: "Show warnings and errors only, not notes.")
    var quiet = false

    @Flag(name: [.customShort("i"), .customLong("repl")], help: "Start the REPL even when standard input is not a terminal (plain lines, no prompt).")
    var repl = false

    @Flag(name: .customLong("dry-run"), help: "Run everything but write no file; each save says what it would write.")
    var dryRun = false

    @Flag(name: .customLong("timings"), help: "Report how long each load and verb takes.")
    var timings = false

    @Flag(name: .customLong("no-color"), help: "Never colour messages (also: the NO_COLOR environment variable).")
    var noColor = false

    func run() throws {
        let overrides: [String: String]
        switch ScriptRunner.parseParams(params) {
        case .success(let p): overrides = p
        case .failure(let d): throw UsageError(message: d.message)
        }
        let term = getenv("TERM").map { String(cString: $0) } ?? "dumb"
        let color = !noColor && getenv("NO_COLOR") == nil && isatty(2) != 0 && term != "dumb"
        let sink = StandardSink()
        defer { sink.flush() }

        let source: SourceFile
        var base = ""
        if let command {
            if script != nil { throw UsageError(message: "give either a recipe file or -c, not both") }
            source = SourceFile(name: "-c", text: command)
        } else if let script {
            do {
                let bytes = try Files.readAll(script, limit: 16 << 20)
                source = SourceFile(name: script, bytes: bytes)
            } catch {
                sink.err(DiagnosticRenderer(useColor: color).render(error))
                throw ExitCode(2)
            }
            base = ScriptRunner.folder(of: script)
        } else if repl || isatty(0) != 0 {
            var runner = ScriptRunner()
            runner.quiet = quiet
            runner.useColor = color
            runner.timings = timings
            runner.previewWidth = terminalWidth() ?? 100
            runner.isCancelled = { Interrupt.requested }
            let session = runner.session(output: sink)
            let replSession = ReplSession(session: session, output: sink,
                                          renderer: ReplRenderer(width: session.previewWidth, useColor: color && isatty(1) != 0))
            replSession.listFiles = listFolder
            if isatty(0) != 0 {
                Interrupt.install(interactive: true)
                if isatty(2) != 0 {
                    // "\r" + clear to the end of the line: the progress line rewrites itself.
                    session.progressLine = { text in fputs("\r\u{1B}[K" + text, stderr); fflush(stderr) }
                }
                let editor = LineEditor(program: "roster", historyFile: Self.historyFile())
                editor.completer = { [replSession] line, cursor in replSession.complete(line, cursor: cursor) }
                runTerminalREPL(replSession, editor: editor, output: sink)
            } else {
                Interrupt.install(interactive: true)
                runPlainREPL(replSession)
            }
            return
        } else {
            var text: [UInt8] = []
            var buf = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = read(0, &buf, buf.count)
                if n <= 0 { break }
                text.append(contentsOf: buf[0..<n])
            }
            source = SourceFile(name: "<stdin>", bytes: text)
        }

        var runner = ScriptRunner()
        runner.params = overrides
        runner.quiet = quiet
        runner.useColor = color
        runner.timings = timings
        runner.dryRun = dryRun
        runner.previewWidth = terminalWidth() ?? 100
        runner.isCancelled = { Interrupt.requested }
        Interrupt.install(interactive: false)
        let status = runner.run(source, baseDirectory: base, output: sink)
        if status != 0 { throw ExitCode(status) }
    }

    /// $ROSTER_HISTORY, else ~/.roster_history.
    static func historyFile() -> String? {
        if let f = getenv("ROSTER_HISTORY") { return String(cString: f) }
        guard let home = getenv("HOME") else { return nil }
        return String(cString: home) + "/.roster_history"
    }
}

/// The width of the terminal standard output goes to, if it is one.
func terminalWidth() -> Int? {
    guard isatty(1) != 0 else { return nil }
    var size = winsize()
    guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 20 else { return nil }
    return Int(size.ws_col)
}

struct UsageError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// stdout and stderr through the C library's buffered streams.
final class StandardSink: OutputSink {
    func out(_ text: String) { fputs(text, stdout) }
    func err(_ text: String) {
        fflush(stdout)
        fputs(text, stderr)
    }
    func flush() { fflush(stdout); fflush(stderr) }
}

/// `roster check FILE [--as FORMAT]`: check a portal file from the shell.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roster check",
        abstract: "Print what a portal would reject in a file, and why. Exit status 1 when any row would be rejected.",
        discussion: "EXAMPLE\n  roster check mcas-upload.csv --as mcas"
    )

    @Argument(help: "The file to check.")
    var file: String

    @ArgumentParser.Option(name: .customLong("as"), help: ArgumentHelp("The portal format (else told from the header).", valueName: "FORMAT"))
    var format: String?

    @Flag(name: .shortAndLong, help: "Show warnings and errors only, not notes.")
    var quiet = false

    func run() throws {
        let sink = StandardSink()
        defer { sink.flush() }
        var runner = ScriptRunner()
        runner.quiet = quiet
        runner.useColor = getenv("NO_COLOR") == nil && isatty(2) != 0
        let status = runner.check(path: file, format: format, output: sink)
        if status != 0 { throw ExitCode(status) }
    }
}

// Exit status 2 for usage errors (the argument parser's default is 64).
do {
    if CommandLine.arguments.count > 1 && CommandLine.arguments[1] == "check" {
        var command = try CheckCommand.parseAsRoot(Array(CommandLine.arguments.dropFirst(2)))
        try command.run()
        exit(0)
    }
    var command = try Roster.parseAsRoot()
    try command.run()
} catch let e as UsageError {
    fputs("roster: error: \(e.message)\n", stderr)
    exit(2)
} catch let e as ExitCode {
    exit(e.rawValue)
} catch {
    let code = Roster.exitCode(for: error)
    let message = Roster.fullMessage(for: error)
    if code == .success {
        print(message)
        exit(0)
    }
    fputs(message + "\n", stderr)
    exit(2)
}
