#if canImport(Darwin)
import Darwin

extension SystemCall {
    /// The system allocator returns large blocks by itself.
    public static func returnLargeBlocksWhenFreed() {}

    /// Where Darwin keeps a signal action's handler.
    static func setHandler(_ action: inout sigaction, _ handler: @escaping @convention(c) (Int32) -> Void) {
        action.__sigaction_u.__sa_handler = handler
    }
}
#endif
