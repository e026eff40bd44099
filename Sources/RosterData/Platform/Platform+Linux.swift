#if canImport(Glibc)
@preconcurrency import Glibc

extension SystemCall {
    /// Where Linux keeps a signal action's handler.
    static func setHandler(_ action: inout sigaction, _ handler: @escaping @convention(c) (Int32) -> Void) {
        action.__sigaction_handler.sa_handler = handler
    }
}
#endif
