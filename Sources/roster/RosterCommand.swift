import ArgumentParser
import RosterData
import RosterDiagnostics
import RosterREPL
import RosterSession

/// `roster`: a recipe, statements, the REPL (the default `run`), or `check` for one file.
struct RosterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roster",
        abstract: "Load, check, fix and export school staff rosters for state test portals.",
        discussion: """
            EXAMPLES
              roster rollover.roster                   run a recipe
              roster rollover.roster --param past=2025.csv
                                                       run it on another year's file
              roster rollover.roster --dry-run         run it, write nothing
              roster -c 'load "users.csv" | count by Role | show'
              echo 'load "users.csv" | head 3 | show' | roster
              roster                                   start the interactive REPL
              roster --repl < session.txt              drive the REPL with lines
              roster check upload.csv --as mcas        what the portal would reject

            Results go to standard output, messages to standard error.
            Exit status: 0 success, 1 a runtime or data error or a failed
            assert, 2 a syntax or usage error.
            """,
        version: "roster 0.4.0",
        subcommands: [RunCommand.self, CheckCommand.self],
        defaultSubcommand: RunCommand.self
    )
}

/// `roster [run] …` — run a recipe, statements from `-c`, a script piped on stdin, or the REPL.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a recipe, statements given with -c, a script piped on standard input, or the REPL (the default)."
    )

    @Argument(help: "A recipe file (.roster) to run.", completion: .file(extensions: ["roster"]))
    var script: String?

    @Option(name: .customShort("c"), help: ArgumentHelp("Run these statements instead of a file.", valueName: "statements"))
    var command: String?

    @Flag(name: [.customShort("i"), .customLong("repl")], help: "Start the REPL even when standard input is not a terminal (plain lines, no prompt).")
    var repl = false

    @Option(
        name: .customLong("format"), help: ArgumentHelp("How plan and check statements print: text, or json for programs.", valueName: "text|json"))
    var report: ReportFormat = .text

    @OptionGroup var options: RunOptions

    func run() throws {
        try Invocation(
            script: script, command: command, repl: repl, report: report, params: options.params, quiet: options.quiet, dryRun: options.dryRun,
            timings: options.timings, noColor: options.noColor
        ).run()
    }
}

extension RunCommand {
    /// `roster users.csv`: a data file given where a recipe belongs; says what to type instead.
    static func dataFileHint(_ path: String) -> String? {
        let lower = path.lowercased()
        guard [".csv", ".tsv", ".txt", ".xlsx", ".xls", ".zip"].contains(where: { lower.hasSuffix($0) }) else { return nil }
        let quoted = path.contains("'") ? "\"\(path)\"" : path
        return """
            \(path) is a data file, not a recipe (a .roster file of statements). To look at it:
              roster -c 'load "\(quoted)" | show'
            to check it against its portal's rules:
              roster check \(quoted)
            or start the REPL with: roster
            """
    }
}

/// The options every mode honours; they make the run's one configuration.
struct RunOptions: ParsableArguments {
    @Option(name: .customLong("param"), help: ArgumentHelp("Override a recipe's 'param NAME = …' (repeatable).", valueName: "NAME=VALUE"))
    var params: [String] = []

    @Flag(name: .shortAndLong, help: "Show warnings and errors only, not notes.")
    var quiet = false

    @Flag(name: .customLong("dry-run"), help: "Run everything but write no file; each save says what it would write.")
    var dryRun = false

    @Flag(name: .customLong("timings"), help: "Report how long each load and verb takes, and the memory peak so far.")
    var timings = false

    @Flag(name: .customLong("no-color"), help: "Never colour messages (also: the NO_COLOR environment variable).")
    var noColor = false
}

/// A mistake in how roster was called: `roster: error: …` and exit status 2.
struct UsageError: Error {
    let message: String
}

extension RunOptions {
    /// The configuration these options give (`check` uses it too).
    func runner() throws(UsageError) -> ScriptRunner {
        try Invocation(params: params, quiet: quiet, dryRun: dryRun, timings: timings, noColor: noColor).runner()
    }
}
