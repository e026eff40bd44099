#if canImport(Darwin)
import Darwin

extension SystemCall {
    /// Calls `handler` when `signal` arrives. No `SA_RESTART`: a read waiting for a key returns, so
    /// the line editor can drop the line and prompt again.
    public static func onSignal(_ signal: Int32, _ handler: @convention(c) (Int32) -> Void) {
        var action = sigaction()
        action.__sigaction_u.__sa_handler = handler
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(signal, &action, nil)
    }

    /// Ends the process at once, from a signal handler.
    public static func exitNow(_ status: Int32) -> Never { _exit(status) }
}
#endif
