import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C: the first press asks the running statement to stop (a save in progress removes its
/// temporary file); a second press ends the program at once.
enum Interrupt {
    static let flag = Atomic<Bool>(false)

    static var requested: Bool { flag.load(ordering: .relaxed) }

    static func clear() { flag.store(false, ordering: .relaxed) }

    static func install() {
        signal(SIGINT) { _ in
            if Interrupt.flag.load(ordering: .relaxed) {
                _exit(130)
            }
            Interrupt.flag.store(true, ordering: .relaxed)
        }
    }
}
