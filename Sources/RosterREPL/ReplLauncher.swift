import RosterDiagnostics
import RosterData
import RosterSession

/// Starts the REPL with the run's one configuration (so `--param`, `--dry-run`, `--quiet` and
/// `--timings` hold there as in a script): libedit on a terminal, plain lines otherwise.
public func startREPL(_ runner: ScriptRunner, output: OutputSink, useColor: Bool) {
    let session = runner.session(output: output)
    let replSession = ReplSession(
        session: session, output: output,
        renderer: ReplRenderer(width: session.previewWidth, useColor: useColor && Console.isTerminal(1)))
    replSession.listFiles = listFolder
    Interrupt.install(interactive: true)
    guard Console.isTerminal(0) else {
        runPlainREPL(replSession)
        return
    }
    if Console.isTerminal(2) {
        session.progressLine = { text in Console.showProgress(text) }
    }
    #if ROSTER_LIBEDIT
    guard let editor = LineEditor(program: "roster", historyFile: historyFile()) else {
        runTerminalREPL(replSession, output: output, why: "libedit is not installed (Debian: apt install libedit2)")
        return
    }
    editor.completer = { [replSession] line, cursor in replSession.complete(line, cursor: cursor) }
    runTerminalREPL(replSession, editor: editor, output: output)
    #else
    runTerminalREPL(replSession, output: output, why: "built without libedit")
    #endif
}

/// $ROSTER_HISTORY, else ~/.roster_history.
func historyFile() -> String? {
    if let f = Console.environment("ROSTER_HISTORY") { return f }
    return Console.environment("HOME").map { $0 + "/.roster_history" }
}
