import RosterData
import RosterDiagnostics
import RosterREPL
import RosterSession

/// One run of `roster [run]`, as plain values: what the argument parser gives, or what the fast
/// path reads itself from the common command lines (a recipe, `-c`, and the simple flags), so a
/// short run does not pay for the parser's set-up.
struct Invocation {
    var script: String?
    var command: String?
    var repl = false
    var report: ReportFormat = .text
    var params: [String] = []
    var quiet = false
    var dryRun = false
    var timings = false
    var noColor = false

    /// The command line when it is only a recipe or `-c`, and flags each given once in its plain
    /// spelling; nil for anything else (help, version, subcommands, `--`, joined short flags, a
    /// repeated or unknown option), which the argument parser then reads and explains.
    static func simple(_ arguments: [String]) -> Invocation? {
        var run = Invocation()
        var seen = Set<String>()
        var i = 0
        func once(_ flag: String) -> Bool { seen.insert(flag).inserted }
        while i < arguments.count {
            let a = arguments[i]
            switch a {
            case "-q", "--quiet":
                guard once("q") else { return nil }
                run.quiet = true
            case "--timings":
                guard once(a) else { return nil }
                run.timings = true
            case "--dry-run":
                guard once(a) else { return nil }
                run.dryRun = true
            case "--no-color":
                guard once(a) else { return nil }
                run.noColor = true
            case "-c", "--param":
                guard i + 1 < arguments.count else { return nil }
                let value = arguments[i + 1]
                if a == "-c" {
                    guard once(a) else { return nil }
                    run.command = value
                } else {
                    guard !value.hasPrefix("-") else { return nil }
                    run.params.append(value)
                }
                i += 1
            default:
                // A recipe path: not an option, not a subcommand's name, given once.
                guard !a.hasPrefix("-"), !["run", "check", "help"].contains(a), run.script == nil else { return nil }
                run.script = a
            }
            i += 1
        }
        // The REPL and piped scripts are for the parser's path: only a recipe or -c is fast.
        guard (run.script == nil) != (run.command == nil) else { return nil }
        return run
    }

    /// The configuration, built once from the arguments and the terminal.
    func runner() throws(UsageError) -> ScriptRunner {
        var runner = ScriptRunner()
        switch ScriptRunner.parseParams(params) {
        case .success(let p): runner.params = p
        case .failure(let d): throw UsageError(message: d.message)
        }
        runner.quiet = quiet
        runner.dryRun = dryRun
        runner.timings = timings
        runner.useColor = Console.colorAllowed(noColorFlag: noColor)
        runner.previewWidth = Console.columns(of: 1) ?? 100
        runner.isCancelled = { Interrupt.requested }
        if Console.isTerminal(1) { runner.pager = { Console.page($0) } }
        runner.reportFormat = report
        return runner
    }

    func run() throws {
        var runner = try runner()
        let sink = StandardSink()
        defer { sink.flush() }
        if command != nil, script != nil { throw UsageError(message: "give either a recipe file or -c, not both") }
        let source: SourceFile
        var base = ""
        if let command {
            source = SourceFile(name: "-c", text: command)
        } else if let script {
            if let hint = RunCommand.dataFileHint(script) { throw UsageError(message: hint) }
            do {
                source = SourceFile(name: script, bytes: try Files.readAll(script, limit: 16 << 20))
            } catch {
                sink.err(DiagnosticRenderer(useColor: runner.useColor).render(error))
                throw ExitStatus(2)
            }
            base = ScriptRunner.folder(of: script)
        } else if repl || Console.isTerminal(0) {
            runner.standardInputIsTaken = true
            startREPL(runner, output: sink, useColor: runner.useColor)
            if let signal = Interrupt.terminatedBy { throw ExitStatus(128 + signal) }
            return
        } else {
            guard let bytes = Console.readStandardInput(limit: 16 << 20) else {
                throw UsageError(message: "the script on standard input is larger than 16 MiB")
            }
            source = SourceFile(name: "<stdin>", bytes: bytes)
            runner.standardInputIsTaken = true
        }
        Interrupt.install(interactive: false)
        let status = runner.run(source, baseDirectory: base, output: sink)
        if let signal = Interrupt.terminatedBy { throw ExitStatus(128 + signal) }
        if status != 0 { throw ExitStatus(status) }
    }
}

/// The process's exit status when a run ends other than with success.
struct ExitStatus: Error {
    let code: Int32
    init(_ code: Int32) { self.code = code }
}
