import RosterDiagnostics
import RosterData
import RosterLanguage
import RosterPortal
import RosterVerbs
import RosterSession
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ctrl-C, SIGTERM and SIGHUP. The one piece of process-wide state, because a signal handler can
/// reach nothing else: a flag that the running statement polls (and a save in progress obeys by
/// removing its temporary files). In a script a second Ctrl-C ends the program at once; in the REPL
/// each Ctrl-C only stops what is running or drops the line being typed. SIGTERM and SIGHUP (a `kill`,
/// a closed terminal) stop what is running the same way, and then the program ends with status
/// 128 + the signal; a second one ends it at once.
public enum Interrupt {
    static let flag = Atomic<Bool>(false)
    static let exitOnSecond = Atomic<Bool>(true)
    static let termination = Atomic<Int32>(0)
    /// Whether a statement is running. A termination signal while the REPL waits for input ends the
    /// program at once (there is nothing to stop, and the read may be waiting on another thread).
    static let busy = Atomic<Bool>(true)

    /// Marks the REPL as running a statement, or waiting for input.
    public static func setBusy(_ running: Bool) { busy.store(running, ordering: .relaxed) }

    public static var requested: Bool { flag.load(ordering: .relaxed) }

    /// The termination signal that arrived (SIGTERM, SIGHUP), if one did.
    public static var terminatedBy: Int32? {
        let s = termination.load(ordering: .relaxed)
        return s == 0 ? nil : s
    }

    public static func clear() {
        // A termination request stays: the program is ending.
        if termination.load(ordering: .relaxed) == 0 { flag.store(false, ordering: .relaxed) }
    }

    /// Installs the handler. Without `SA_RESTART`, a read waiting for a key returns when Ctrl-C
    /// arrives, so the line editor can drop the line and prompt again.
    public static func install(interactive: Bool) {
        exitOnSecond.store(!interactive, ordering: .relaxed)
        busy.store(!interactive, ordering: .relaxed)
        SystemCall.onSignal(SIGINT) { _ in
            if Interrupt.flag.load(ordering: .relaxed) && Interrupt.exitOnSecond.load(ordering: .relaxed) { SystemCall.exitNow(130) }
            Interrupt.flag.store(true, ordering: .relaxed)
        }
        for signal in [SIGTERM, SIGHUP] {
            SystemCall.onSignal(signal) { signal in
                if Interrupt.termination.load(ordering: .relaxed) != 0 || !Interrupt.busy.load(ordering: .relaxed) {
                    SystemCall.exitNow(128 + signal)
                }
                Interrupt.termination.store(signal, ordering: .relaxed)
                Interrupt.flag.store(true, ordering: .relaxed)
            }
        }
    }
}
