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

/// Ctrl-C. The one piece of process-wide state, because a signal handler can reach nothing else: a
/// flag that the running statement polls (and a save in progress obeys by removing its temporary
/// file). In a script a second Ctrl-C ends the program at once; in the REPL each Ctrl-C only stops
/// what is running or drops the line being typed.
public enum Interrupt {
    static let flag = Atomic<Bool>(false)
    static let exitOnSecond = Atomic<Bool>(true)

    public static var requested: Bool { flag.load(ordering: .relaxed) }

    public static func clear() { flag.store(false, ordering: .relaxed) }

    /// Installs the handler. Without `SA_RESTART`, a read waiting for a key returns when Ctrl-C
    /// arrives, so the line editor can drop the line and prompt again.
    public static func install(interactive: Bool) {
        exitOnSecond.store(!interactive, ordering: .relaxed)
        SystemCall.onSignal(SIGINT) { _ in
            if Interrupt.flag.load(ordering: .relaxed) && Interrupt.exitOnSecond.load(ordering: .relaxed) { SystemCall.exitNow(130) }
            Interrupt.flag.store(true, ordering: .relaxed)
        }
    }
}
