#if canImport(Darwin)
import Darwin

extension SystemCall {
    /// The system allocator returns large blocks by itself.
    public static func tuneHeap() {}

    /// Pages from `mapPages` in a larger mapping (Darwin has no `mremap`: copied).
    public static func remapPages(_ p: UnsafeMutableRawPointer, from oldSize: Int, to newSize: Int) -> UnsafeMutableRawPointer? {
        guard let q = mapPages(newSize) else { return nil }
        q.copyMemory(from: p, byteCount: min(oldSize, newSize))
        unmapPages(p, oldSize)
        return q
    }

    /// Darwin has no way to start write-back early: the final `fsync` does it all.
    public static func startWriteBack(_ fd: Int32, from offset: Int, count: Int) {}

    /// Pages are faulted in as they are first written.
    public static func prepareForWriting(_ p: UnsafeMutableRawPointer, _ count: Int) {}

    /// Darwin picks page sizes itself.
    public static func adviseHugePages(_ p: UnsafeMutableRawPointer, _ count: Int) {}
    public static func freeHugePages() -> Int { 0 }

    /// Where Darwin keeps a signal action's handler that is told the signal's details.
    static func setInfoHandler(
        _ action: inout sigaction, _ handler: @escaping @convention(c) (Int32, UnsafeMutablePointer<siginfo_t>?, UnsafeMutableRawPointer?) -> Void
    ) {
        action.__sigaction_u.__sa_sigaction = handler
    }

    /// The address a bus error or segmentation fault is about.
    static func faultAddress(_ info: UnsafeMutablePointer<siginfo_t>) -> Int { Int(bitPattern: info.pointee.si_addr) }

    /// Where Darwin keeps a signal action's handler.
    static func setHandler(_ action: inout sigaction, _ handler: @escaping @convention(c) (Int32) -> Void) {
        action.__sigaction_u.__sa_handler = handler
    }
}
#endif
