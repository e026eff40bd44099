import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal
import RosterVerbs
import RosterSession
#if ROSTER_LIBEDIT
import CEditLine
#endif
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if ROSTER_LIBEDIT
/// Runs a REPL on a terminal through libedit.
public func runTerminalREPL(_ repl: ReplSession, editor: LineEditor, output: OutputSink) {
    output.out("roster — type a statement; :help for help, :quit or Ctrl-D to leave.\n")
    var pendingLines: [String] = []
    while !repl.wantsToQuit && Interrupt.terminatedBy == nil {
        editor.prompt = repl.prompt
        switch editor.readLine() {
        case .end:
            if repl.isContinuing { repl.cancelInput(); pendingLines = []; output.out("\n"); continue }
            output.out("\n")
            return
        case .interrupted:
            repl.cancelInput()
            pendingLines = []
            output.out("^C\n")
        case .line(let line):
            pendingLines.append(line)
            Interrupt.setBusy(true)
            let fed = repl.feed(line)
            Interrupt.setBusy(false)
            if let statement = fed {
                if repl.wantsToQuit { break }  // :quit is not worth recalling
                if let one = InputAssembler.historyLine(statement) { editor.addHistory(one) } else { for l in pendingLines { editor.addHistory(l) } }
                pendingLines = []
            } else if !repl.isContinuing {
                pendingLines = []
            }
            Interrupt.clear()
        }
    }
}

#endif

/// Runs a REPL on a terminal without libedit (a build on a system that lacks its header, or a
/// machine that lacks the library): a prompt and plain lines, with no editing keys, history or
/// completion. `why` says which.
public func runTerminalREPL(_ repl: ReplSession, output: OutputSink, why: String) {
    output.out("roster — type a statement; :help for help, :quit or Ctrl-D to leave. (\(why): no line editing.)\n")
    while !repl.wantsToQuit, Interrupt.terminatedBy == nil {
        output.out(repl.prompt)
        Console.flushOutput()
        guard let line = Swift.readLine(strippingNewline: true) else {
            output.out("\n")
            return
        }
        Interrupt.setBusy(true)
        repl.feed(line)
        Interrupt.setBusy(false)
        Interrupt.clear()
    }
}

/// Runs a REPL over plain lines from standard input: no prompt, no escape codes — for programs
/// that drive roster and for tests.
public func runPlainREPL(_ repl: ReplSession) {
    while !repl.wantsToQuit, Interrupt.terminatedBy == nil, let line = Swift.readLine(strippingNewline: true) {
        Interrupt.setBusy(true)
        repl.feed(line)
        Interrupt.setBusy(false)
        Interrupt.clear()
        Console.flushOutput()
    }
    if repl.isContinuing { repl.feed("") }
}

/// Folder entries for path completion: names, folders with a trailing "/".
public func listFolder(_ path: String) -> [String] {
    let dir = path.isEmpty ? "." : path
    return SystemCall.listDirectory(path).map { name in
        SystemCall.status(dir + "/" + name)?.isDirectory == true ? name + "/" : name
    }
}
